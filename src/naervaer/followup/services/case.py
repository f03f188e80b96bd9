"""What people decide about a case as a whole: the bring-forward date, a referral to occupational
health, closing it with an outcome and reopening it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Outcome
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action


@transaction.atomic
def bring_forward_set(
    *, actor: access.User, case: FollowupCase, on: datetime.date | None
) -> FollowupCase:
    selectors.require(actor, case, Action.WORK_CASE)
    case.bring_forward = on
    case.save(update_fields=["bring_forward"])
    if on:
        event(case, actor, "bring_forward_set", day=on.isoformat())
    else:
        event(case, actor, "bring_forward_removed")
    log(actor, "update", "followup_case", case.pk, case)
    return case


@transaction.atomic
def refer_to_occupational_health(
    *, actor: access.User, case: FollowupCase, on: datetime.date | None = None
) -> FollowupCase:
    selectors.require(actor, case, Action.WORK_CASE)
    case.referred_to_occupational_health = on or timezone.localdate()
    case.save(update_fields=["referred_to_occupational_health"])
    event(case, actor, "referred_to_occupational_health")
    log(actor, "update", "followup_case", case.pk, case)
    return case


@transaction.atomic
def case_close(
    *,
    actor: access.User,
    case: FollowupCase,
    outcome: str,
    note: str = "",
    on: datetime.date | None = None,
) -> FollowupCase:
    selectors.require(actor, case, Action.WORK_CASE)
    if case.closed_on is not None:
        raise ValidationError({"outcome": _("The case is already closed.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    case.closed_on, case.outcome, case.outcome_note = on or timezone.localdate(), outcome, note
    case.save(update_fields=["closed_on", "outcome", "outcome_note"])
    event(case, actor, "case_closed", outcome=outcome)
    log(actor, "update", "followup_case", case.pk, case)
    return case


@transaction.atomic
def case_reopen(*, actor: access.User, case: FollowupCase, reason: str) -> FollowupCase:
    """HR reopens a closed case; the reason stays in the history with the earlier outcome."""
    selectors.require(actor, case, Action.REOPEN_CASE)
    if case.closed_on is None:
        raise ValidationError({"reason": _("The case is not closed.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    event(
        case,
        actor,
        "case_reopened",
        reason=reason.strip(),
        outcome=case.outcome,
        note=case.outcome_note,
    )
    case.closed_on, case.outcome, case.outcome_note = None, "", ""
    case.save(update_fields=["closed_on", "outcome", "outcome_note"])
    log(actor, "update", "followup_case", case.pk, case)
    return case
