"""Session limits and the second factor, checked on every request.

``SessionLimitsMiddleware`` logs out a session idle longer than ``NAERVAER_IDLE_TIMEOUT`` minutes
(default 30) or older than ``SESSION_COOKIE_AGE`` since the login (default 8 hours) — Django's own
expiry moves forward whenever the session is saved, so the absolute age is kept here. The last
activity is written at most once a minute, not on every request.

``SecondFactorMiddleware`` sends a user whose roles require a second factor (``policy``) and whose
session is not yet verified to the code step, or to enrolment if they have no app yet; only those
pages, logging out and the language switch are open before that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from naervaer.account.policy import idle_timeout, second_factor_required

LOGIN_AT = "naervaer_login_at"
LAST_SEEN = "naervaer_last_seen"
SEEN_GRANULARITY = 60  # seconds: how stale the stored last activity may be
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "account:otp_verify",
        "account:otp_setup",
        "logout",
        "admin:logout",
        "set_language",
        "login",
        "admin:login",
    }
)


@receiver(user_logged_in)
def _start_clock(sender, request: HttpRequest, user, **kwargs) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN, now)
            started = request.session.get(LOGIN_AT, now)
            idle = now - seen > idle_timeout().total_seconds()
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": idle_timeout().total_seconds() // 60}
                    if idle
                    else _("Your session has ended. Log in again."),
                )
                return redirect_to_login(request.get_full_path())
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = now
            if now - seen >= SEEN_GRANULARITY or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not second_factor_required(request.actor):
            return None
        request.second_factor_pending = True  # the menu offers nothing until the step is passed
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        step = (
            "account:otp_verify"
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            else "account:otp_setup"
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(step)}?{query}" if query else reverse(step))
