"""Writes of insight: absence targets and the cost per lost workday, checked against the actor.

Reference figures are imported by ``references.import_rows`` (all or nothing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from naervaer.insight import selectors
from naervaer.insight.models import CostRate, Target
from naervaer.org.access import ActorLike
from naervaer.org.models import Organisation, Unit
from naervaer.org.services import save_valid


@transaction.atomic
def target_create(
    *,
    actor: ActorLike,
    unit: Unit,
    target_percent: Decimal,
    first_month: dt.date,
    last_month: dt.date,
    starting_percent: Decimal | None = None,
) -> Target:
    """A target for the unit and its subtree over whole months (the first days of the months)."""
    if not selectors.can_set_targets(actor, unit):
        raise PermissionDenied(_("You may not set targets for this unit."))
    target = Target(
        unit=unit,
        target_percent=target_percent,
        starting_percent=starting_percent,
        first_month=first_month.replace(day=1),
        last_month=last_month.replace(day=1),
    )
    save_valid(target)
    return target


@transaction.atomic
def cost_rate_save(
    *,
    actor: ActorLike,
    occupation: str,
    daily_salary: Decimal,
    social_cost_percent: Decimal,
) -> CostRate:
    """Set the cost per lost workday of an occupation (blank: all others) in the actor's
    organisation; a second save for the same occupation replaces the first."""
    organisation: Organisation = selectors.cost_organisation(actor)
    rate = CostRate.objects.filter(
        organisation=organisation, occupation=occupation.strip()
    ).first() or CostRate(organisation=organisation, occupation=occupation.strip())
    rate.daily_salary, rate.social_cost_percent = daily_salary, social_cost_percent
    save_valid(rate)
    return rate
