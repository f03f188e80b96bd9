"""The personal calendar-feed address: made, renewed (the old address stops working), revoked."""

from __future__ import annotations

from django.db import transaction

from naervaer.audit import services as audit
from naervaer.followup.models import CalendarFeed, new_feed_token
from naervaer.org import access


@transaction.atomic
def calendar_feed_renew(*, actor: access.User) -> CalendarFeed:
    """Create the actor's feed address, or revoke the old one by issuing a new token."""
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    audit.record(actor, "update", "calendar_feed", feed.pk)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: access.User) -> None:
    CalendarFeed.objects.filter(user=actor).delete()
    audit.record(actor, "delete", "calendar_feed", actor.pk)
