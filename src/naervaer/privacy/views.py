"""Privacy pages: HR's list of what retention has made due, and the employee's own data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from naervaer.org.access import Action, as_actor
from naervaer.privacy import innsyn, innsyn_pdf, selectors


@login_required
@require_safe
def retention(request: HttpRequest) -> HttpResponse:
    overviews = selectors.retention_due(request.user, timezone.localdate())
    return render(request, "privacy/retention.html", {"overviews": overviews})


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The employee's page for downloading everything held about them."""
    if not as_actor(request.user).can(Action.OWN_DATA):
        raise PermissionDenied(_("Only employees have data of their own to download."))
    return render(request, "privacy/mine.html")


@login_required
@require_safe
def mine_json(request: HttpRequest) -> HttpResponse:
    data = innsyn.personal_data(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="mine-opplysninger.json"'
    return response


@login_required
@require_safe
def mine_pdf(request: HttpRequest) -> HttpResponse:
    data = innsyn.personal_data(request.user)
    response = HttpResponse(innsyn_pdf.personal_data_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mine-opplysninger.pdf"'
    return response
