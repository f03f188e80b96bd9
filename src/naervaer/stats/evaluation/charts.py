"""Vega-Lite charts (Altair) rendered to SVG offline with vl-convert: the same chart for page, PNG and PDF."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from naervaer.stats.evaluation.evaluate import EvaluationResult
from naervaer.stats.evaluation.indicators import INDICATORS

PHASE_COLOURS = {"preparation": "#f2e6c9", "active": "#d6e8f5", "after": "#dcefd9"}
GROUP_NAMES = {"target": "Målenheter / target", "reference": "Referanse / reference"}


def _phase_bands(result: EvaluationResult) -> pd.DataFrame:
    spec = result.spec
    bands = [
        ("active", spec.active_start, spec.active_end),
        ("after", spec.active_end, spec.after_end),
    ]
    if spec.preparation_start:
        bands.insert(0, ("preparation", spec.preparation_start, spec.active_start))
    return pd.DataFrame(
        [
            {"phase": p, "start": pd.Timestamp(a), "end": pd.Timestamp(b)}
            for p, a, b in bands
            if b > a
        ]
    )


def time_chart(result: EvaluationResult, indicator: str) -> alt.LayerChart:
    """Target vs reference per month with the project phases shaded; masked months are left out."""
    data = result.series[result.series["indicator"].eq(indicator)].copy()
    data["month"] = pd.to_datetime(data["month"])
    data["group"] = data["group"].map(GROUP_NAMES)
    title = (
        INDICATORS[indicator].title_nb + " / " + INDICATORS[indicator].title_en
        if indicator in INDICATORS
        else indicator
    )
    bands = (
        alt.Chart(_phase_bands(result))
        .mark_rect(opacity=0.6)
        .encode(
            x="start:T",
            x2="end:T",
            color=alt.Color(
                "phase:N",
                scale=alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values())),
                title="Fase / phase",
            ),
        )
    )
    lines = (
        alt.Chart(data.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Måned / month"),
            y=alt.Y("value:Q", title=title),
            strokeDash=alt.StrokeDash("group:N", title="Gruppe / group"),
        )
    )
    chart: alt.LayerChart = (
        alt.layer(bands, lines)
        .properties(width=520, height=220, title=title)
        .resolve_scale(color="independent")
    )
    return chart


def effects_chart(result: EvaluationResult) -> alt.VConcatChart:
    """Primary estimates with their 95 % intervals and a zero line, one panel per unit of measurement
    (masked estimates — a group under 5 persons — are left out)."""
    rows = pd.DataFrame(
        [
            {
                "label": f"{e.indicator} ({e.phase})",
                "estimate": e.estimate,
                "low": e.ci_low,
                "high": e.ci_high,
                "unit": e.unit_of_estimate,
            }
            for e in result.primary()
            if not e.masked
        ],
        columns=["label", "estimate", "low", "high", "unit"],
    )
    panels = []
    for unit, group in rows.groupby("unit", sort=False):
        part = group.assign(zero=0.0)
        base = alt.Chart(part)
        rule = base.mark_rule().encode(
            x=alt.X("low:Q", title=f"Effekt / effect ({unit}), 95 % KI / CI"),
            x2="high:Q",
            y=alt.Y("label:N", title=None),
        )
        point = base.mark_point(filled=True, size=60).encode(x="estimate:Q", y="label:N")
        zero = base.mark_rule(strokeDash=[4, 3], color="grey").encode(x="zero:Q")
        panels.append(alt.layer(rule, point, zero).properties(width=440, height=alt.Step(22)))
    return alt.vconcat(*panels)


def funnel_chart(result: EvaluationResult) -> alt.LayerChart:
    """Spells per employment-year against size, with exact 95 % and 99.8 % Poisson funnel limits."""
    limits = result.funnel_limits.melt(
        id_vars=["exposure"],
        value_vars=[c for c in result.funnel_limits if c.startswith(("low_", "high_"))],
    )
    limits["side"] = limits["variable"]
    lines = (
        alt.Chart(limits)
        .mark_line(color="grey")
        .encode(
            x=alt.X("exposure:Q", scale=alt.Scale(type="log"), title="Årsverk / employment-years"),
            y=alt.Y("value:Q", title="Tilfeller per årsverk / spells per employment-year"),
            detail="side:N",
            strokeDash=alt.condition(
                "indexof(datum.side, '0.95') >= 0", alt.value([1, 0]), alt.value([4, 3])
            ),
        )
    )
    pooled = (
        alt.Chart(result.funnel_limits)
        .mark_line(color="black")
        .encode(x="exposure:Q", y="pooled:Q")
    )
    points = (
        alt.Chart(result.funnel)
        .mark_point(filled=True)
        .encode(
            x="exposure:Q",
            y="rate:Q",
            shape=alt.Shape("group:N", title="Gruppe / group"),
            tooltip=["name", "rate"],
        )
    )
    return alt.LayerChart(
        layer=[lines, pooled, points],
        width=520,
        height=260,
        title="Traktdiagram / funnel plot (etter start / after start)",
    )


def chart_specs(result: EvaluationResult) -> dict[str, dict[str, Any]]:
    """Vega-Lite specifications by chart name (time series per indicator, effects, funnel)."""
    charts: dict[str, alt.LayerChart | alt.VConcatChart] = {
        f"series_{ind}": time_chart(result, ind) for ind in result.series["indicator"].unique()
    }
    charts["effects"] = effects_chart(result)
    if not result.funnel.empty:
        charts["funnel"] = funnel_chart(result)
    return {name: chart.to_dict() for name, chart in charts.items()}


def render_charts(result: EvaluationResult) -> dict[str, str]:
    """Every chart as an SVG string (rendered locally, no network)."""
    return {name: vlc.vegalite_to_svg(spec) for name, spec in chart_specs(result).items()}


def render_png(result: EvaluationResult, scale: float = 2.0) -> dict[str, bytes]:
    """Every chart as PNG bytes, for the PDF report."""
    return {
        name: vlc.vegalite_to_png(spec, scale=scale) for name, spec in chart_specs(result).items()
    }
