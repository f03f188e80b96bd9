"""Recording a milestone: done, linked to the document that fulfils it, or waived with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.followup import selectors
from naervaer.followup.models import Meeting, Milestone, Plan
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action

#: Which documents fulfil a milestone, by the document its routine expects. Kinds the app does
#: not hold yet (letters, reports, decisions) may be fulfilled by a meeting record or the plan.
ACCEPTED_DOCUMENTS = {"follow_up_plan": ("plan",), "meeting_record": ("meeting",)}
ANY_DOCUMENT = ("plan", "meeting")


def accepted_documents(milestone: Milestone) -> tuple[str, ...]:
    return ACCEPTED_DOCUMENTS.get(milestone.document, ANY_DOCUMENT)


def _titles(milestone: Milestone) -> dict[str, str]:
    return {
        "milestone": milestone.key,
        "title_nb": milestone.title_nb,
        "title_en": milestone.title_en,
    }


@transaction.atomic
def milestone_done(
    *,
    actor: access.User,
    milestone: Milestone,
    meeting: Meeting | None = None,
    plan: Plan | None = None,
) -> Milestone:
    """Mark a milestone done, linked to the document that fulfils it (a meeting record or the plan)."""
    case = milestone.case
    selectors.require(actor, case, Action.WORK_CASE)
    accepted = accepted_documents(milestone)
    if meeting is None and plan is None:
        raise ValidationError(
            {"document": _("Link the meeting record or plan that fulfils the milestone.")}
        )
    if (meeting and "meeting" not in accepted) or (plan and "plan" not in accepted):
        raise ValidationError(
            {
                "document": _("Only the follow-up plan fulfils this milestone.")
                if accepted == ("plan",)
                else _("Only a meeting record fulfils this milestone.")
            }
        )
    if (meeting and meeting.case_id != case.pk) or (plan and plan.case_id != case.pk):
        raise ValidationError({"document": _("The document belongs to another case.")})
    milestone.recorded, milestone.meeting, milestone.plan = Milestone.Recorded.DONE, meeting, plan
    milestone.recorded_at, milestone.recorded_by, milestone.escalated_to = timezone.now(), actor, ""
    milestone.save()
    event(case, actor, "milestone_done", **_titles(milestone))
    log(actor, "update", "milestone", milestone.pk, case)
    return milestone


@transaction.atomic
def milestone_waive(*, actor: access.User, milestone: Milestone, reason: str) -> Milestone:
    case = milestone.case
    selectors.require(actor, case, Action.WORK_CASE)
    if not milestone.waivable:
        raise ValidationError({"reason": _("This milestone cannot be waived under the routine.")})
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason the milestone is obviously unnecessary.")}
        )
    milestone.recorded, milestone.waive_reason = Milestone.Recorded.WAIVED, reason.strip()
    milestone.recorded_at, milestone.recorded_by, milestone.escalated_to = timezone.now(), actor, ""
    milestone.save()
    event(case, actor, "milestone_waived", **_titles(milestone))
    log(actor, "update", "milestone", milestone.pk, case)
    return milestone
