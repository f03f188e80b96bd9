"""The work-environment panel of the insight unit page: the latest survey factors, open HSE
measures and deviations beside the unit's absence — each only as far as the viewer may see it."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import get_language

from naervaer.insight.unit_panels import Panel
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.prevention import permissions, results
from naervaer.prevention.models import Deviation, ExternalResult, Measure, SurveyRound
from naervaer.stats.masking import MIN_PERSONS


def _latest_round(unit_id: int, organisation_id: int) -> SurveyRound | None:
    """The latest closed round that surveyed the unit (a unit made after it was not surveyed)."""
    for survey in SurveyRound.objects.filter(
        organisation_id=organisation_id, status=SurveyRound.Status.CLOSED
    ).select_related("instrument", "root_unit"):
        if unit_id in access.subtree_unit_ids(survey.root_unit) and results.round_counts(
            survey
        ).tally.has(unit_id):
            return survey
    return None


def _survey(unit, visible: set[int]) -> dict | None:
    if unit.pk not in visible:
        return None
    survey = _latest_round(unit.pk, unit.organisation_id)
    if survey is None:
        return None
    counts = results.round_counts(survey)
    if unit.pk in counts.hidden:
        return {"survey": survey, "shown": False}
    row = counts.tally.row(unit.pk)
    lowest = set(results.lowest_factors(counts, unit.pk))
    lang = 1 if (get_language() or "nb").startswith("en") else 0
    factors = sorted(
        (
            {
                "title": counts.factor_titles[key][lang],
                "score": results._score(counts.means[row, f]),
                "lowest": key in lowest,
            }
            for f, key in enumerate(counts.factor_keys)
        ),
        key=lambda item: (item["score"] is None, item["score"] or 0),
    )
    return {"survey": survey, "shown": True, "factors": factors}


def _external(unit_id: int) -> list[ExternalResult]:
    rows = list(ExternalResult.objects.filter(unit_id=unit_id).order_by("-period", "factor"))
    latest = rows[0].period if rows else None
    return [r for r in rows if r.period == latest and r.respondents >= MIN_PERSONS]


def _hse(unit, visible: set[int]) -> dict | None:
    if unit.pk not in visible:
        return None
    subtree = access.subtree_unit_ids(unit) & visible
    today = datetime.date.today()
    measures = Measure.objects.filter(plan__unit_id__in=subtree, status__in=Measure.OPEN)
    year_ago = today - datetime.timedelta(days=365)
    deviations = Deviation.objects.filter(unit_id__in=subtree, occurred_on__gte=year_ago)
    by_category = dict(
        deviations.values_list("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    labels = dict(Deviation.Category.choices)
    return {
        "open_measures": measures.count(),
        "overdue": measures.filter(deadline__lt=today).count(),
        "next": measures.select_related("plan").order_by("deadline")[:3],
        "deviations": sum(by_category.values()),
        "open_deviations": deviations.filter(~Q(status=Deviation.Status.CLOSED)).count(),
        "by_category": [(labels[k], n) for k, n in sorted(by_category.items())],
    }


def _absence(page) -> object:
    rows = [r for r in page.quarters.rows if not r.get("masked")]
    return rows[-1] if rows else None


def panel(request: HttpRequest, page) -> Panel | None:
    user = request.user
    unit = page.unit
    survey = _survey(unit, permissions.units_for(user, Action.SURVEY_RESULTS))
    hse = _hse(unit, permissions.units_for(user, Action.VIEW_HSE))
    external = _external(unit.pk) if survey is not None or hse is not None else []
    if survey is None and hse is None and not external:
        return None
    return Panel(
        "prevention/_unit_panel.html",
        {
            "unit": unit,
            "survey": survey,
            "hse": hse,
            "external": external,
            "absence": _absence(page),
        },
    )
