"""Meetings and talks: who took part, minutes, agreements, the next meeting, copies sent."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Meeting, MeetingCopy, Participant
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action


@transaction.atomic
def meeting_record(
    *,
    actor: access.User,
    case: FollowupCase,
    kind: str,
    held_on: datetime.date,
    minutes: str = "",
    agreements: str = "",
    next_meeting: datetime.date | None = None,
    participants: Iterable[tuple[str, str]] = (),
    copies: Iterable[str] = (),
) -> Meeting:
    """A meeting or talk with its participants (name, role) and the copies sent on the distribution list."""
    selectors.require(actor, case, Action.RECORD_MEETING)
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("Unknown meeting kind %(kind)s.") % {"kind": kind}})
    if next_meeting and next_meeting < held_on:
        raise ValidationError({"next_meeting": _("The next meeting cannot be before this one.")})
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        agreements=agreements,
        next_meeting=next_meeting,
        created_by=actor,
    )
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, name=name, role=role)
            for name, role in participants
            if name.strip()
        ]
    )
    today = timezone.localdate()
    MeetingCopy.objects.bulk_create(
        [
            MeetingCopy(meeting=meeting, recipient=r, sent_on=today, sent_by=actor)
            for r in dict.fromkeys(copies)
        ]
    )
    event(case, actor, "meeting_recorded", meeting_kind=kind, day=held_on.isoformat())
    log(actor, "create", "meeting", meeting.pk, case)
    return meeting
