"""The calendar-feed page (show, renew, revoke the address) and the feed itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from naervaer.audit import services as audit
from naervaer.followup import calendar_feed
from naervaer.followup.models import CalendarFeed
from naervaer.followup.services import calendar as calendar_services
from naervaer.org.access import Action, as_actor


def _require(request: HttpRequest) -> None:
    if not as_actor(request.user).can(Action.VIEW_CASE):
        raise PermissionDenied(_("The calendar feed is for those who follow up cases."))


@login_required
@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    _require(request)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("followup:feed", args=[feed.token])) if feed else None
    return render(request, "followup/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    _require(request)
    if request.POST.get("action") == "revoke":
        calendar_services.calendar_feed_revoke(actor=request.user)
    else:
        calendar_services.calendar_feed_renew(actor=request.user)
    return redirect("followup:calendar")


@require_safe
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the secret token is the credential, and a revoked token finds nothing. Each
    fetch is logged once per person whose follow-up the feed shows."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("unknown feed")
    content = calendar_feed.feed(feed.user, language=get_language() or "nb")
    audit.record_reads(feed.user, "calendar_feed", content.employee_ids, purpose="calendar feed")
    return HttpResponse(content.ical, content_type="text/calendar; charset=utf-8")
