"""Survey charts, drawn with the project's chart code (``insight.charts``: Altair → inline SVG)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from naervaer.insight import charts

SHARE_COLOURS = ["#c0392b", "#b0b7bf", "#1f5d99"]


def factor_chart(rows: Sequence[dict]) -> charts.Chart | None:
    """One stacked bar per factor: the shares that disagree, are neutral and agree."""
    import altair as alt
    import pandas as pd

    labels = [_("Disagree"), _("Neutral"), _("Agree")]
    data = [
        {"factor": row["factor"], "answer": label, "percent": float(row[key]), "order": order}
        for row in rows
        for order, (key, label) in enumerate(zip(("low", "middle", "high"), labels, strict=True))
        if row.get(key) is not None
    ]
    if not data:
        return None
    order = [row["factor"] for row in rows]
    chart = (
        alt.Chart(pd.DataFrame(data))
        .mark_bar()
        .encode(
            y=alt.Y("factor:N", sort=order, title=None),
            x=alt.X("percent:Q", title=_("Share of answers (%)"), stack="zero"),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "answer:N",
                title=None,
                scale=alt.Scale(domain=labels, range=SHARE_COLOURS),
                legend=alt.Legend(orient="top"),
            ),
        )
        .properties(width=360, height=max(60, 24 * len(rows)))
    )
    scored = [row for row in rows if row.get("score") is not None]
    alt_text = _("Share of answers that disagree, are neutral and agree, per factor.")
    if scored:
        low = min(scored, key=lambda row: row["score"])
        alt_text += " " + _("Lowest score: %(factor)s (%(score)s).") % {
            "factor": low["factor"],
            "score": number_format(low["score"], 1),
        }
    return charts.render(chart.to_dict(), alt_text)


def relation_chart(points: Sequence[dict], factor: str) -> charts.Chart | None:
    """Units as points: factor score against absence percent, with a fitted line."""
    import altair as alt
    import pandas as pd

    if len(points) < 3:
        return None
    frame = pd.DataFrame(points, columns=["name", "score", "absence"])
    base = alt.Chart(frame).encode(
        x=alt.X("score:Q", title=_("Factor score (1–5)"), scale=alt.Scale(zero=False)),
        y=alt.Y("absence:Q", title=_("Absence percent")),
    )
    chart = alt.layer(
        base.mark_circle(size=60, color="#1f5d99").encode(tooltip=["name:N"]),
        base.transform_regression("score", "absence").mark_line(color="#c0392b"),
    ).properties(width=420, height=260)
    alt_text = _(
        "Each point is a unit: its score on %(factor)s and its absence percent; the red line is "
        "the fitted linear relation across units. %(n)s units."
    ) % {"factor": factor, "n": len(points)}
    return charts.render(chart.to_dict(), alt_text)


def png(chart: charts.Chart) -> bytes:
    return charts.svg_to_png(chart.svg)
