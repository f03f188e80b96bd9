"""The placement bank (stillingsbank): temporary tasks kept ready, and placing a case in one."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naervaer.audit import services as audit
from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Placement, PlacementAssignment
from naervaer.followup.services.history import event, log
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Unit


@transaction.atomic
def placement_create(
    *, actor: access.User, unit: Unit, title: str, description: str = "", suitable_for: str = ""
) -> Placement:
    if not selectors.placement_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not add to this unit's placement bank."))
    if not title.strip():
        raise ValidationError({"title": _("Give the task or position a title.")})
    placement = Placement.objects.create(
        unit=unit, title=title.strip(), description=description, suitable_for=suitable_for
    )
    audit.record(actor, "create", "placement", placement.pk)
    return placement


@transaction.atomic
def placement_assign(
    *,
    actor: access.User,
    case: FollowupCase,
    placement: Placement,
    start: datetime.date,
    end: datetime.date | None = None,
    outcome: str = "",
) -> PlacementAssignment:
    selectors.require(actor, case, Action.WORK_CASE)
    if not selectors.placements_for(actor).filter(pk=placement.pk).exists():
        raise PermissionDenied(_("This placement is outside your units."))
    if end and end < start:
        raise ValidationError({"end": _("The placement cannot end before it starts.")})
    assignment = PlacementAssignment.objects.create(
        placement=placement, case=case, start=start, end=end, outcome=outcome
    )
    event(case, actor, "placed", title=placement.title, day=start.isoformat())
    log(actor, "create", "placement_assignment", assignment.pk, case)
    return assignment
