"""The intervention evaluation page (DOMAIN.md §10) and its PDF and JSON downloads.

HR and analysts only, resolved like the organisation overview. The parameters travel in the query
string, so the page, the PDF and the JSON are the same evaluation re-run on the cached register
snapshot (the bootstrap seed is fixed, so every run gives the same numbers). Only aggregates are
shown; months and phases built on fewer than 5 persons stay masked.

``naervaer.stats.evaluation`` (statsmodels, scipy, Altair: ~2 s to import) is imported inside the
functions that run an evaluation: this module is loaded with the URLconf, and the first request
of every process (whatever page it asks for) would otherwise pay that import.
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from naervaer.insight import process_tables, selectors, statistics
from naervaer.insight.evaluation_forms import EvaluationForm
from naervaer.org.models import Organisation, Unit

if TYPE_CHECKING:
    from naervaer.stats.evaluation import EvaluationResult

MIN_PERSONS = 5
_SVG_OPEN = re.compile(r"<svg\b")


@dataclass(frozen=True)
class EffectRow:
    """One estimate as shown: relative changes in percent, everything else in the estimate's own unit."""

    indicator: str
    method: str
    phase: str
    estimate: float
    ci_low: float
    ci_high: float
    unit: str
    inference: str
    primary: bool
    masked: bool


@dataclass(frozen=True)
class ChartView:
    name: str
    svg: str
    caption: str


def _language() -> str:
    return "en" if (get_language() or "nb").startswith("en") else "nb"


def _unit_labels(user, organisation: Organisation) -> dict[int, str]:
    """Visible units labelled by their path below the root, sorted so the tree reads top-down."""
    units = {u.pk: u for u in Unit.objects.filter(organisation=organisation)}

    def label(unit: Unit) -> str:
        chain = [unit.name]
        while unit.parent_id is not None and units[unit.parent_id].parent_id is not None:
            unit = units[unit.parent_id]
            chain.insert(0, unit.name)
        return " › ".join(chain)

    labels = {pk: label(units[pk]) for pk in selectors.visible_unit_ids(user, organisation)}
    return dict(sorted(labels.items(), key=lambda item: item[1]))


def _run(request: HttpRequest) -> tuple[EvaluationForm, EvaluationResult | None]:
    """The bound form and, when it holds a valid intervention, its evaluation on the register snapshot."""
    from naervaer.stats.evaluation import SpecError, evaluate

    organisation = selectors.overview_organisation(request.user)
    form = EvaluationForm(request.GET or None, _unit_labels(request.user, organisation))
    if not (form.is_bound and form.is_valid()):
        return form, None
    try:
        process = (
            process_tables.for_organisation(organisation.pk)
            if "process" in form.spec.indicators
            else None
        )
        return form, evaluate(statistics.snapshot(organisation), form.spec, process=process)
    except SpecError as error:
        form.add_spec_error(error)
        return form, None


def _indicator_title(name: str, language: str) -> str:
    from naervaer.stats.evaluation.indicators import INDICATORS

    indicator = INDICATORS.get(name)
    if indicator is None:
        return name
    return indicator.title_en if language == "en" else indicator.title_nb


def _labels() -> dict[str, dict[str, str]]:
    return {
        "method": {
            "did": _("Difference-in-differences, composition-adjusted"),
            "did_poisson": _("Poisson difference-in-differences (relative)"),
            "did_unadjusted": _("Difference-in-differences, unadjusted"),
            "its_comparative_hac": _("Interrupted time series against the reference"),
            "its_hac": _("Interrupted time series against the earlier trend"),
            "naive_before_after": _("Naive before/after (for contrast only)"),
        },
        "phase": {
            "before": _("before"),
            "preparation": _("preparation"),
            "active": _("active period"),
            "after": _("after the project"),
        },
        "unit": {
            "percentage points": _("percentage points"),
            "relative change": _("% change (relative)"),
            "days": _("days"),
            "spells per employee-year": _("spells per employee-year"),
        },
        "group": {"target": _("target units"), "reference": _("reference units")},
    }


def effect_rows(result: EvaluationResult, language: str) -> list[EffectRow]:
    """Every estimate, primary ones (the basis of the conclusion) first."""
    labels = _labels()
    rows = []
    for est in sorted(result.estimates, key=lambda e: not e.primary):
        factor = 100.0 if est.unit_of_estimate == "relative change" else 1.0
        rows.append(
            EffectRow(
                indicator=_indicator_title(est.indicator, language),
                method=labels["method"].get(est.method, est.method),
                phase=labels["phase"].get(est.phase, est.phase),
                estimate=est.estimate * factor,
                ci_low=est.ci_low * factor,
                ci_high=est.ci_high * factor,
                unit=labels["unit"].get(est.unit_of_estimate, est.unit_of_estimate),
                inference=est.inference,
                primary=est.primary,
                masked=est.masked,
            )
        )
    return rows


def standardised_rows(result: EvaluationResult, language: str) -> list[dict]:
    """The standardised comparison; the engine blanks a group's phase whose largest monthly headcount
    is below 5 (``evaluate._mask_standardised``)."""
    if result.standardised.empty:
        return []
    labels = _labels()
    rows = []
    for row in result.standardised.itertuples():
        masked = math.isnan(row.crude)
        values = {
            key: None if masked or math.isnan(getattr(row, key)) else getattr(row, key)
            for key in (
                "crude",
                "standardised",
                "crude_change",
                "standardised_change",
                "composition_effect",
            )
        }
        rows.append(
            {
                "indicator": _indicator_title(row.indicator, language),
                "group": labels["group"].get(row.group, row.group),
                "phase": labels["phase"].get(row.phase, row.phase),
                "masked": masked,
                **values,
            }
        )
    return rows


def _caption(name: str, language: str) -> str:
    if name == "effects":
        return _(
            "The main estimates with their 95 % intervals; an interval crossing the dashed zero line "
            "cannot be told apart from chance."
        )
    if name == "funnel":
        return _(
            "Spells per employment-year after the start for every unit at the target units' level, with exact "
            "95 % and 99.8 % limits around the pooled rate: small units scatter widely by chance."
        )
    return _(
        "%(indicator)s per month, target and reference units, project phases shaded; months with fewer "
        "than 5 persons are left out."
    ) % {"indicator": _indicator_title(name.removeprefix("series_"), language)}


def chart_views(result: EvaluationResult, language: str) -> list[ChartView]:
    """The engine's SVG charts, labelled as images for screen readers (the tables carry the figures)."""
    from naervaer.stats.evaluation import render_charts

    views = []
    for name, svg in render_charts(result).items():
        caption = _caption(name, language)
        labelled = _SVG_OPEN.sub(
            f'<svg role="img" aria-label="{escape(caption)}" focusable="false"', svg, count=1
        )
        views.append(ChartView(name=name, svg=labelled, caption=caption))
    return views


@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    form, result = _run(request)
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode()}
    if result is not None:
        language = _language()
        context.update(
            {
                "result": result,
                "verdicts": [sentences[language] for sentences in result.verdicts.values()],
                "effects": effect_rows(result, language),
                "standardised": standardised_rows(result, language),
                "charts": chart_views(result, language),
                "target_names": [result.unit_names.get(u, str(u)) for u in result.target_units],
                "reference_names": [
                    result.unit_names.get(u, str(u)) for u in result.reference_units
                ],
            }
        )
    return render(request, "insight/evaluation.html", context)


def _refused(form: EvaluationForm) -> HttpResponse:
    problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
    return HttpResponseBadRequest(
        _("The evaluation could not be run: %(problems)s") % {"problems": problems},
        content_type="text/plain; charset=utf-8",
    )


@login_required
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    form, result = _run(request)
    if result is None:
        return _refused(form)
    from naervaer.stats.evaluation import write_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evaluation.pdf"
        write_pdf(result, path)
        body = path.read_bytes()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{slugify(result.spec.name) or "report"}.pdf"'
    )
    return response


@login_required
def evaluation_json(request: HttpRequest) -> HttpResponse:
    form, result = _run(request)
    if result is None:
        return _refused(form)
    from naervaer.stats.evaluation import estimates_json

    response = JsonResponse(
        estimates_json(result), safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{slugify(result.spec.name) or "report"}.json"'
    )
    return response
