"""The calendar-feed page (show, renew, revoke the address) and the feed itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from naervaer.audit import services as audit
from naervaer.followup import calendar_feed
from naervaer.followup.models import CalendarFeed
from naervaer.followup.services import calendar as calendar_services


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("followup:feed", args=[feed.token])) if feed else None
    return render(request, "followup/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        calendar_services.calendar_feed_revoke(actor=request.user)
    else:
        calendar_services.calendar_feed_renew(actor=request.user)
    return redirect("followup:calendar")


def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the secret token is the credential, and a revoked token finds nothing."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("unknown feed")
    audit.record(feed.user, "read", "calendar_feed", feed.pk, purpose="calendar feed")
    return HttpResponse(
        calendar_feed.feed(feed.user, language=get_language() or "nb"),
        content_type="text/calendar; charset=utf-8",
    )
