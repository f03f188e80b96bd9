"""The reintegration committee (attføringsutvalg): cases lifted to it and its decisions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.followup import selectors
from naervaer.followup.models import CommitteeReferral, FollowupCase
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action


@transaction.atomic
def committee_refer(
    *, actor: access.User, case: FollowupCase, question: str, on: datetime.date | None = None
) -> CommitteeReferral:
    selectors.require(actor, case, Action.WORK_CASE)
    if not question.strip():
        raise ValidationError({"question": _("Say what the committee is asked to decide.")})
    referral = CommitteeReferral.objects.create(
        case=case, question=question.strip(), referred_on=on or timezone.localdate()
    )
    event(case, actor, "committee_referred")
    log(actor, "create", "committee_referral", referral.pk, case)
    return referral


@transaction.atomic
def committee_decide(
    *,
    actor: access.User,
    referral: CommitteeReferral,
    decision: str,
    on: datetime.date | None = None,
) -> CommitteeReferral:
    case = referral.case
    selectors.require(actor, case, Action.DECIDE_COMMITTEE)
    day = on or timezone.localdate()
    if not decision.strip():
        raise ValidationError({"decision": _("Write the committee's decision.")})
    if day < referral.referred_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the referral.")})
    referral.decision, referral.decided_on = decision.strip(), day
    referral.save()
    event(case, actor, "committee_decided", days=referral.handling_days)
    log(actor, "update", "committee_referral", referral.pk, case)
    return referral
