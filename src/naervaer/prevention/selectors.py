"""Reads of prevention work, always given the acting user and scoped through ``permissions``."""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Organisation, Unit
from naervaer.prevention.models import (
    ActionPlan,
    Conversation,
    Deviation,
    ExternalResult,
    Measure,
    SurveyRound,
)
from naervaer.prevention.permissions import can, organisations_for, units_for


def require(user: access.User, action: Action) -> None:
    if not can(user, action):
        raise PermissionDenied


def unit_for(user: access.User, action: Action, unit_id: int) -> Unit:
    if unit_id not in units_for(user, action):
        raise PermissionDenied
    return get_object_or_404(Unit, pk=unit_id)


def unit_choices(user: access.User, action: Action) -> list[tuple[int, str]]:
    units = Unit.objects.filter(pk__in=units_for(user, action)).order_by("name")
    return [(u.pk, u.name) for u in units]


def organisation_of(user: access.User, action: Action) -> Organisation:
    ids = units_for(user, action)
    unit = Unit.objects.filter(pk__in=ids).select_related("organisation").first()
    if unit is None:
        raise PermissionDenied
    return unit.organisation


def rounds_for(user: access.User) -> QuerySet[SurveyRound]:
    """HR sees every round of its organisation; others the closed rounds covering units they see."""
    if can(user, Action.MANAGE_SURVEYS):
        return SurveyRound.objects.filter(
            organisation_id__in=organisations_for(user, Action.MANAGE_SURVEYS)
        ).select_related("instrument", "root_unit")
    visible = units_for(user, Action.SURVEY_RESULTS)
    candidates = SurveyRound.objects.filter(status=SurveyRound.Status.CLOSED).select_related(
        "instrument", "root_unit"
    )
    return candidates.filter(
        pk__in=[r.pk for r in candidates if access.subtree_unit_ids(r.root_unit) & visible]
    )


def round_for(user: access.User, round_id: int) -> SurveyRound:
    return get_object_or_404(rounds_for(user), pk=round_id)


def result_units(user: access.User, survey: SurveyRound) -> set[int]:
    return units_for(user, Action.SURVEY_RESULTS) & access.subtree_unit_ids(survey.root_unit)


def plans_for(user: access.User) -> QuerySet[ActionPlan]:
    return (
        ActionPlan.objects.filter(unit_id__in=units_for(user, Action.VIEW_HSE))
        .select_related("unit")
        .annotate(
            open_measures=Count("measures", filter=Q(measures__status__in=Measure.OPEN)),
            overdue_measures=Count(
                "measures",
                filter=Q(
                    measures__status__in=Measure.OPEN,
                    measures__deadline__lt=datetime.date.today(),
                ),
            ),
            done_measures=Count("measures", filter=Q(measures__status=Measure.Status.DONE)),
        )
    )


def plan_for(user: access.User, plan_id: int) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("unit", "survey_round__instrument"),
        pk=plan_id,
        unit_id__in=units_for(user, Action.VIEW_HSE),
    )


def deviations_for(user: access.User) -> QuerySet[Deviation]:
    """Deviations of the units the user follows up or oversees, and the user's own named reports."""
    scope = Q(unit_id__in=units_for(user, Action.VIEW_HSE))
    if user.is_authenticated:
        scope |= Q(reported_by=user)
    return Deviation.objects.filter(scope).select_related("unit")


def deviation_counts(deviations: QuerySet[Deviation]) -> dict[str, object]:
    """Counts per category and per quarter (the trend) and per unit, for the overview."""
    rows = list(deviations.values_list("category", "occurred_on", "unit__name", "status"))
    labels = dict(Deviation.Category.choices)
    by_quarter = Counter(f"{d.year}-K{(d.month - 1) // 3 + 1}" for _c, d, _u, _s in rows)
    return {
        "by_category": [
            (labels[c], n) for c, n in sorted(Counter(c for c, _d, _u, _s in rows).items())
        ],
        "by_quarter": sorted(by_quarter.items())[-8:],
        "by_unit": Counter(u for _c, _d, u, _s in rows).most_common(10),
        "open": sum(1 for *_rest, s in rows if s != Deviation.Status.CLOSED),
    }


def conversations_completion(
    unit_ids: set[int], year: int, minimum: int = 5
) -> list[dict[str, object]]:
    """Per unit: employees, conversations held and the completion percent (masked under 5)."""
    from naervaer.org.models import Employment

    day = min(datetime.date.today(), datetime.date(year, 12, 31))
    employed = Counter(
        Employment.objects.filter(access.active_on(day), unit_id__in=unit_ids).values_list(
            "unit_id", flat=True
        )
    )
    held = Counter(
        Conversation.objects.filter(
            year=year, unit_id__in=unit_ids, held_on__isnull=False
        ).values_list("unit_id", flat=True)
    )
    names = dict(Unit.objects.filter(pk__in=employed).values_list("pk", "name"))
    rows = []
    for unit_id, people in sorted(employed.items(), key=lambda item: names[item[0]]):
        shown = people >= minimum
        rows.append(
            {
                "unit_id": unit_id,
                "name": names[unit_id],
                "employees": people if shown else None,
                "held": held[unit_id] if shown else None,
                "percent": round(100 * held[unit_id] / people) if shown else None,
            }
        )
    return rows


def external_results(unit_id: int) -> QuerySet[ExternalResult]:
    return ExternalResult.objects.filter(unit_id=unit_id).order_by("source", "-period", "factor")
