"""A person's upcoming milestones and meetings as an iCalendar feed (RFC 5545).

Calendar apps fetch the feed without signing in, so the address carries a secret token and the
feed carries as little as possible: the milestone or meeting kind and the person's initials — no
names, no health data, no minutes. It is still a read of those people's follow-up, so ``feed``
also says whose milestones and meetings it carries, for the access log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Meeting, Milestone
from naervaer.org import access
from naervaer.org.access import as_actor

HORIZON_DAYS = 180


def initials(case: FollowupCase) -> str:
    return f"{case.employee.first_name[:1]}{case.employee.last_name[:1]}".upper()


def _milestones_for(user: access.User, today: datetime.date) -> list[Milestone]:
    """Milestones the user is responsible for: as nearest leader, or as HR when it is HR's or escalated."""
    cases = selectors.visible_cases(user, today).filter(FollowupCase.open_on(today))
    roles = as_actor(user, today).roles
    mine = Q(case__employment__nearest_leader__user=user) & Q(responsible="nearest_leader")
    if "hr" in roles:
        mine |= (
            Q(responsible="hr")
            | Q(escalation_role="hr", escalates_on__lte=today)
            | Q(case__responsible="hr")
            | Q(case__hr_takeover_on__lte=today)
        )
    return list(
        Milestone.objects.filter(
            case__in=cases,
            recorded="",
            due__gte=today - datetime.timedelta(days=30),
            due__lte=today + datetime.timedelta(days=HORIZON_DAYS),
        )
        .filter(mine, applicable=True)
        .select_related("case__employee")
    )


@dataclass(frozen=True)
class Feed:
    ical: bytes
    employee_ids: frozenset[int]  # the people whose follow-up the feed shows


def feed(user: access.User, today: datetime.date | None = None, language: str = "nb") -> Feed:
    day = today or timezone.localdate()
    shown: set[int] = set()
    calendar = Calendar()
    calendar.add("prodid", "-//Naervaer//followup//NB")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Nærvær")
    stamp = datetime.datetime.now(datetime.UTC)
    for milestone in _milestones_for(user, day):
        event = Event()
        event.add("uid", f"milestone-{milestone.pk}@naervaer")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due)
        event.add(
            "summary",
            f"{milestone.title_nb if language == 'nb' else milestone.title_en} – {initials(milestone.case)}",
        )
        calendar.add_component(event)
        shown.add(milestone.case.employee_id)
    cases = selectors.visible_cases(user, day).filter(current=True)
    for meeting in Meeting.objects.filter(
        case__in=cases, next_meeting__gte=day, created_by=user
    ).select_related("case__employee"):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@naervaer")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.next_meeting)
        event.add("summary", f"{meeting.get_kind_display()} – {initials(meeting.case)}")
        calendar.add_component(event)
        shown.add(meeting.case.employee_id)
    return Feed(calendar.to_ical(), frozenset(shown))
