"""Thin views of one's own account (password, second factor) and of locked logins (HR, admin)."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from naervaer.account import lockout, services
from naervaer.account.forms import CodeForm, UnlockForm
from naervaer.account.policy import second_factor_required


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """One's own account: the second factor's state and the ways to change it and the password."""
    user = request.user
    context = {
        "has_app": _has_app(user),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "required": second_factor_required(request.actor),
    }
    return render(request, "account/index.html", context)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app by QR code; on success the recovery codes are shown once.

    Someone who already has an app must prove it first (a password alone never replaces it)."""
    if _has_app(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('account:otp_verify')}?next={reverse('account:otp_setup')}")
    device = services.totp_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_confirm(request.user, form.cleaned_data["code"])
        if confirmed is not None:
            otp_login(request, confirmed)
            codes = services.recovery_codes_renew(request.user)
            return render(
                request, "account/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", _("The code is not right. Enter the six digits the app shows now."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(
            scale=5, omitsize=True, title=_("QR code for the authenticator app")
        ),
        "secret": " ".join(_groups(base64.b32encode(device.bin_key).decode())),
        "next": _next(request),
    }
    return render(request, "account/otp_setup.html", context)


def _groups(secret: str, size: int = 4) -> list[str]:
    return [secret[i : i + size] for i in range(0, len(secret), size)]


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the app, or a recovery code."""
    if not _has_app(request.user):
        return redirect(f"{reverse('account:otp_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left.")
                    % {"left": device.token_set.count()},
                )
            return redirect(_next(request))
        form.add_error(
            "code", _("The code is not right, or too many tries: wait a little and try again.")
        )
    return render(request, "account/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; only in a session verified with the second factor."""
    if not request.user.is_verified():
        raise PermissionDenied(_("Log in with your second factor first."))
    codes = services.recovery_codes_renew(request.user)
    return render(
        request, "account/recovery_codes.html", {"codes": codes, "next": reverse("account:index")}
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "account/password_change.html"
    success_url = reverse_lazy("account:index")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "ds-input"
        return form

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


@login_required
def locked(request: HttpRequest) -> HttpResponse:
    """Logins locked after failed attempts, and unlocking them (HR and the administrator)."""
    lockout.require_unlocker(request.actor)
    problem = ""
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            services.login_unlock(actor=request.actor, **form.cleaned_data)
            messages.success(
                request, _("%(value)s is unlocked.") % {"value": form.cleaned_data["value"]}
            )
            return redirect("account:locked")
        problem = _("Choose a locked username or address to unlock.")
    return render(
        request,
        "account/locked.html",
        {
            "locked": lockout.locked_logins(request.actor),
            "problem": problem,
            "minutes": lockout.cooloff_minutes(),
        },
        status=400 if problem else 200,
    )
