"""The follow-up plan: saved under an optimistic lock, every version kept, approved by the leader
and the employee for the version each of them saw."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Plan, PlanVersion
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action

PLAN_FIELDS = (
    "tasks",
    "measures",
    "information_to_colleagues",
    "evaluation_date",
    "share_with_doctor",
    "share_with_nav",
)
CAPACITIES = {"can", "adapted", "cannot"}
MEASURE_STATES = {"proposed", "agreed", "not_relevant"}


class PlanConflict(Exception):
    """Someone else saved the plan after this editor opened it."""


def _plan_content(plan: Plan) -> dict[str, Any]:
    content = {field: getattr(plan, field) for field in PLAN_FIELDS}
    content["evaluation_date"] = plan.evaluation_date.isoformat() if plan.evaluation_date else None
    return content


def _check_plan(data: dict[str, Any]) -> None:
    for number, task in enumerate(data.get("tasks", []), start=1):
        if task.get("capacity") not in CAPACITIES:
            raise ValidationError(
                {
                    "tasks": _("Task %(n)s: choose can do, with adaptation or cannot.")
                    % {"n": number}
                }
            )
    for number, measure in enumerate(data.get("measures", []), start=1):
        if measure.get("status") not in MEASURE_STATES:
            raise ValidationError(
                {
                    "measures": _("Measure %(n)s: choose proposed, agreed or not relevant.")
                    % {"n": number}
                }
            )


@transaction.atomic
def plan_save(
    *, actor: access.User, case: FollowupCase, expected_version: int | None, data: dict[str, Any]
) -> Plan:
    """Create or change the plan. ``expected_version`` is the version the editor started from
    (None for a new plan); if someone saved in between, nothing is written and PlanConflict says so.
    A change clears earlier approvals: both must approve what the plan now says."""
    selectors.require(actor, case, Action.WORK_CASE)
    _check_plan(data)
    values = {field: data[field] for field in PLAN_FIELDS if field in data}
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        if expected_version is not None:
            raise PlanConflict(_("The plan was removed after you opened it."))
        plan = Plan.objects.create(case=case, updated_by=actor, **values)
    else:
        changed = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
            version=F("version") + 1,
            updated_by=actor,
            updated_at=timezone.now(),
            approved_by_leader_at=None,
            approved_by_employee_at=None,
            **values,
        )
        if not changed:
            plan.refresh_from_db()
            who = plan.updated_by.get_username() if plan.updated_by else "?"
            raise PlanConflict(
                _(
                    "%(user)s saved the plan (version %(version)s) after you opened it. Your changes were not "
                    "saved; reload the plan and make them again."
                )
                % {"user": who, "version": plan.version}
            )
        plan.refresh_from_db()
    PlanVersion.objects.create(
        plan=plan, version=plan.version, content=_plan_content(plan), saved_by=actor
    )
    event(case, actor, "plan_saved", version=plan.version)
    log(actor, "update" if plan.version > 1 else "create", "plan", plan.pk, case)
    return plan


@transaction.atomic
def plan_approve(*, actor: access.User, plan: Plan, version: int) -> Plan:
    """Approve the plan as the employee or as the leader (or HR) — of the version the approver saw."""
    case = plan.case
    held = selectors.require(actor, case, Action.APPROVE_PLAN)
    now = timezone.now()
    by_employee = selectors.EMPLOYEE in held
    field = "approved_by_employee_at" if by_employee else "approved_by_leader_at"
    if not Plan.objects.filter(pk=plan.pk, version=version).update(**{field: now}):
        raise PlanConflict(
            _("The plan changed after you opened it; read the new version before approving.")
        )
    plan.refresh_from_db()
    event(case, actor, "plan_approved", version=version, by="employee" if by_employee else "leader")
    log(actor, "update", "plan", plan.pk, case)
    return plan
