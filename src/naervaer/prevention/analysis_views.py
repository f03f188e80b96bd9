"""The analysis page: a factor's unit scores against the units' absence, with the warning."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from naervaer.org.access import Action
from naervaer.prevention import analysis, charts, selectors
from naervaer.prevention.models import SurveyRound
from naervaer.prevention.permissions import units_for


@login_required
def analysis_page(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, Action.WORK_ENVIRONMENT_ANALYSIS)
    closed = list(selectors.rounds_for(request.user).filter(status=SurveyRound.Status.CLOSED))
    chosen = next((r for r in closed if str(r.pk) == request.GET.get("round")), None) or (
        closed[0] if closed else None
    )
    lang = "en" if (get_language() or "nb").startswith("en") else "nb"
    factors = (
        [(f["key"], f[f"title_{lang}"]) for f in chosen.instrument.definition["factors"]]
        if chosen
        else []
    )
    factor = request.GET.get("factor") or (factors[0][0] if factors else "")
    if factor not in dict(factors):
        factor = factors[0][0] if factors else ""
    found = (
        analysis.factor_relation(
            chosen, factor, units_for(request.user, Action.WORK_ENVIRONMENT_ANALYSIS)
        )
        if chosen and factor
        else None
    )
    return render(
        request,
        "prevention/analysis.html",
        {
            "rounds": closed,
            "chosen": chosen,
            "factors": factors,
            "factor": factor,
            "factor_title": dict(factors).get(factor, ""),
            "relation": found,
            "chart": charts.relation_chart(found.points, dict(factors)[factor]) if found else None,
        },
    )
