"""Which follow-up routine an organisation, or a unit with its subtree, follows from a date on."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.audit import services as audit
from naervaer.followup.models import FollowupCase, RoutineChoice
from naervaer.followup.routines import routine_named
from naervaer.followup.services.sync import cases_refresh_all
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Employment, Organisation, Unit
from naervaer.rules import RoutineError


@transaction.atomic
def routine_choose(
    *,
    actor: access.User,
    organisation_id: int,
    routine: str,
    valid_from: datetime.date,
    unit: Unit | None = None,
    hr_takeover_weeks: int | None = None,
) -> RoutineChoice:
    """A new version of the routine choice for an organisation or one unit (HR only); the open
    cases it covers are recomputed under it at once."""
    allowed = Organisation.objects.restrict(actor, Action.CHOOSE_ROUTINE)
    if not allowed.filter(pk=organisation_id).exists():
        raise PermissionDenied(_("Only HR may choose the follow-up routine."))
    try:
        routine_named(routine)
    except RoutineError as exc:
        raise ValidationError({"routine": str(exc)}) from exc
    choice = RoutineChoice.objects.create(
        organisation_id=organisation_id,
        unit=unit,
        routine=routine,
        valid_from=valid_from,
        hr_takeover_weeks=hr_takeover_weeks,
        chosen_by=actor,
    )
    audit.record(actor, "create", "routine_choice", choice.pk)
    employments = Employment.objects.filter(organisation_id=organisation_id)
    if unit is not None:
        employments = employments.filter(unit_id__in=access.subtree_unit_ids(unit))
    cases_refresh_all(
        employments.filter(
            pk__in=FollowupCase.objects.filter(FollowupCase.open_on(timezone.localdate())).values(
                "employment_id"
            )
        ).select_related("employee")
    )
    return choice
