"""Charts as Vega-Lite specs (Altair) rendered on the server to SVG with vl-convert.

No chart library reaches the browser: the page gets an SVG that works under the strict CSP, and the
same SVG goes into the PDF report (as PNG). Every chart comes with a text alternative; the page
shows the same figures as a table for screen readers. Masked cells are left out of charts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# vl-convert resolves relative links against the Vega datasets site; links must stay on our origin.
_VEGA_BASE = re.compile(r'xlink:href="https://vega\.github\.io/vega-datasets/+')
_SVG_OPEN = re.compile(r"<svg\b")
COLOURS = {"self": "#7fb8e6", "doctor": "#1f5d99", "target": "#c0392b", "last_year": "#404040"}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: inline SVG plus the sentence that describes it for people who cannot see it."""

    svg: str
    alt: str


# d3-format has no Norwegian locale built in.
NORWEGIAN_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]}


def _locale() -> str | dict:
    return NORWEGIAN_FORMAT if (get_language() or "nb").startswith("nb") else "en-US"


def render(spec: dict, alt: str, linked: bool = False) -> Chart:
    """A Vega-Lite spec as an accessible inline SVG (for other apps' charts)."""
    return _render(spec, alt, linked)


def _render(spec: dict, alt: str, linked: bool) -> Chart:
    """SVG for the spec, cached by the spec itself (the same figures never render twice)."""
    import hashlib
    import json

    from django.core.cache import cache

    locale = _locale()
    key = (
        "insight:svg:"
        + hashlib.sha256(
            json.dumps([spec, locale, alt, linked], sort_keys=True, default=str).encode()
        ).hexdigest()
    )
    if (svg := cache.get(key)) is None:
        svg = _svg(spec, alt, linked, locale)
        cache.set(key, svg, 24 * 3600)
    return Chart(svg=svg, alt=alt)


def _svg(spec: dict, alt: str, linked: bool, locale: str | dict) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, format_locale=locale, allowed_base_urls=[])
    svg = _VEGA_BASE.sub('xlink:href="/', svg)
    role = 'role="group"' if linked else 'role="img"'
    return _SVG_OPEN.sub(f'<svg {role} aria-label="{_escape(alt)}" focusable="false"', svg, count=1)


def start_renderer() -> None:
    """Load Altair and start vl-convert's JavaScript runtime with one tiny uncached chart."""
    import altair as alt

    _svg(alt.Chart().mark_point().to_dict(), "", linked=False, locale="en-US")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def monthly_chart(months: Sequence[dict], target: float | None = None, title: str = "") -> Chart:
    """Stacked bars (self-certified, doctor-certified percent) per month, last year's total as a line,
    and the target as a horizontal rule. ``months``: dicts with month (YYYY-MM), self_percent,
    doctor_percent, last_year_percent (None when masked or missing).
    """
    import altair as alt
    import pandas as pd

    self_label, doctor_label = _("Self-certified"), _("Doctor-certified")
    bars = [
        {"month": row["month"], "kind": label, "percent": row[key], "order": order}
        for row in months
        for key, label, order in (
            ("self_percent", self_label, 0),
            ("doctor_percent", doctor_label, 1),
        )
        if row[key] is not None
    ]
    last_year = [
        {"month": row["month"], "percent": row["last_year_percent"]}
        for row in months
        if row.get("last_year_percent") is not None
    ]
    month_axis = alt.X(
        "month:O",
        title=_("Month"),
        sort=[row["month"] for row in months],
        axis=alt.Axis(labelAngle=-60),
    )
    percent_axis = alt.Y("percent:Q", title=_("Absence percent"), stack="zero")
    layers = [
        alt.Chart(pd.DataFrame(bars, columns=["month", "kind", "percent", "order"]))
        .mark_bar()
        .encode(
            x=month_axis,
            y=percent_axis,
            order=alt.Order("order:Q"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=[self_label, doctor_label], range=[COLOURS["self"], COLOURS["doctor"]]
                ),
                legend=alt.Legend(orient="top"),
            ),
        )
    ]
    if last_year:
        layers.append(
            alt.Chart(pd.DataFrame(last_year))
            .mark_line(point=True, color=COLOURS["last_year"], strokeDash=[4, 3])
            .encode(x=month_axis, y="percent:Q")
        )
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame([{"target": target}]))
            .mark_rule(color=COLOURS["target"], strokeWidth=2)
            .encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(width=max(240, 14 * len(months)), height=220, title=title)
    shown = [row for row in months if row["self_percent"] is not None]
    alt_text = _(
        "Monthly absence percent, %(first)s to %(last)s, split into self-certified and doctor-certified absence."
    ) % {
        "first": months[0]["month"] if months else "",
        "last": months[-1]["month"] if months else "",
    }
    if shown:
        peak = max(shown, key=lambda row: row["self_percent"] + row["doctor_percent"])
        alt_text += " " + _("Highest: %(month)s.") % {"month": peak["month"]}
    if target is not None:
        alt_text += " " + _("The red line is the target, %(target)s %%.") % {"target": target}
    if last_year:
        alt_text += " " + _("The dashed line is the same month last year.")
    return _render(chart.to_dict(), alt_text, linked=False)


def ranking_chart(units: Sequence[dict], title: str = "") -> Chart:
    """Horizontal bars, one per unit (dicts with name, percent, url), highest first; bars link to the unit."""
    import altair as alt
    import pandas as pd

    shown = [row for row in units if row["percent"] is not None]
    data = pd.DataFrame(shown, columns=["name", "percent", "url"])
    chart = (
        alt.Chart(data)
        .mark_bar(color=COLOURS["doctor"])
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X("percent:Q", title=_("Absence percent")),
            href="url:N",
        )
        .properties(width=420, height=max(60, 18 * len(shown)), title=title)
    )
    alt_text = _(
        "Absence percent per unit, highest first; %(count)s units shown, masked units left out."
    ) % {"count": len(shown)}
    if shown:
        top = max(shown, key=lambda row: row["percent"])
        alt_text += " " + _("Highest: %(name)s.") % {"name": top["name"]}
    return _render(chart.to_dict(), alt_text, linked=True)


def heat_map(cells: Sequence[dict], title: str = "") -> Chart:
    """Units × months coloured by absence percent (dicts with name, month, percent, url); masked cells blank."""
    import altair as alt
    import pandas as pd

    shown = [row for row in cells if row["percent"] is not None]
    months = sorted({row["month"] for row in cells})
    names = list(dict.fromkeys(row["name"] for row in cells))
    chart = (
        alt.Chart(pd.DataFrame(shown, columns=["name", "month", "percent", "url"]))
        .mark_rect()
        .encode(
            x=alt.X("month:O", sort=months, title=_("Month"), axis=alt.Axis(labelAngle=-60)),
            y=alt.Y("name:N", sort=names, title=None),
            color=alt.Color(
                "percent:Q", title=_("Absence percent"), scale=alt.Scale(scheme="orangered")
            ),
            href="url:N",
        )
        .properties(width=max(240, 12 * len(months)), height=max(60, 16 * len(names)), title=title)
    )
    alt_text = _(
        "Heat map of absence percent for %(units)s units over %(months)s months; darker is higher, blank cells are masked."
    ) % {"units": len(names), "months": len(months)}
    return _render(chart.to_dict(), alt_text, linked=True)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """For the PDF report."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)
