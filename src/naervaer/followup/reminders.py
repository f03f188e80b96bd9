"""Reminder digests: each responsible person gets one e-mail listing what is due or overdue for
them, and an item is never e-mailed twice to the same person (``ReminderSent`` is unique per
person and item, written in the same transaction as the send is decided). Safe to run from cron
every few minutes. Mails carry initials and the milestone only — no names, no health data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from naervaer.followup.calendar_feed import initials
from naervaer.followup.models import FollowupCase, Milestone, ReminderSent
from naervaer.org import access
from naervaer.org.models import Role


@dataclass(frozen=True)
class Item:
    key: str
    line: str


def _hr_users_on(day: datetime.date) -> Callable[[FollowupCase], list]:
    """HR advisers over a case's unit (asked of the access layer), each unit and tree looked up once."""
    trees: dict[int, access.UnitTree] = {}
    found: dict[tuple[int, int], list] = {}

    def hr_users(case: FollowupCase) -> list:
        key = (case.organisation_id, case.employment.unit_id)
        if key not in found:
            if case.organisation_id not in trees:
                trees[case.organisation_id] = access.UnitTree([case.organisation_id])
            tree = trees[case.organisation_id]
            found[key] = access.covering_users(Role.HR, *key, on=day, tree=tree)
        return found[key]

    return hr_users


def _leader_user(case: FollowupCase):
    leader = case.employment.nearest_leader
    return leader.user if leader is not None else None


def due_items(day: datetime.date) -> dict[int, list[Item]]:
    """Per user id: the reminder items due for them today (before removing those already sent)."""
    items: dict[int, list[Item]] = defaultdict(list)
    hr_users = _hr_users_on(day)
    open_cases = FollowupCase.objects.filter(FollowupCase.open_on(day))
    milestones = (
        Milestone.objects.with_state(day)
        .filter(case__in=open_cases, state__in=("due", "overdue"))
        .select_related("case__employee", "case__employment__nearest_leader__user")
    )
    for milestone in milestones:
        case = milestone.case
        text = f"{initials(case)}: {milestone.title_en} ({milestone.state}, {milestone.due}) {reverse('followup:case', args=[case.pk])}"
        recipients = []
        hr_case = case.responsible_on(day) == FollowupCase.Responsible.HR
        if milestone.responsible == "nearest_leader" and not hr_case:
            recipients.append((_leader_user(case), f"milestone:{milestone.pk}:{milestone.state}"))
        if milestone.responsible == "hr" or (hr_case and milestone.responsible == "nearest_leader"):
            recipients += [
                (user, f"milestone:{milestone.pk}:{milestone.state}") for user in hr_users(case)
            ]
        if milestone.escalated == "hr":
            recipients += [(user, f"escalation:{milestone.pk}") for user in hr_users(case)]
        for user, key in recipients:
            if user is not None and user.is_active and user.email:
                items[user.pk].append(Item(key, text))
    for case in open_cases.filter(bring_forward__lte=day).select_related(
        "employee", "employment__nearest_leader__user"
    ):
        user = _leader_user(case)
        if user is not None and user.is_active and user.email:
            items[user.pk].append(
                Item(
                    f"bring_forward:{case.pk}:{case.bring_forward}",
                    f"{initials(case)}: bring forward {case.bring_forward}",
                )
            )
    return items


def send_reminders(day: datetime.date | None = None) -> int:
    """Send the digests; returns how many e-mails went out."""
    today = day or timezone.localdate()
    sent = 0
    pending = due_items(today)
    users = get_user_model().objects.in_bulk(list(pending))
    connection = get_connection()
    for user_id, items in pending.items():
        with transaction.atomic():
            fresh = []
            for item in {i.key: i for i in items}.values():
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(user_id=user_id, item=item.key)
                except IntegrityError:
                    continue
                fresh.append(item)
            if not fresh:
                continue
            body = "Nærvær – due or overdue follow-up / forfalt oppfølging:\n\n" + "\n".join(
                f"- {i.line}" for i in fresh
            )
            EmailMessage(
                f"Nærvær: {len(fresh)} follow-up item(s)",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [users[user_id].email],
                connection=connection,
            ).send()
            sent += 1
    return sent
