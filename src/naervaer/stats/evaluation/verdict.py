"""Plain-language conclusions in bokmål and English that never claim more than the interval allows.

An interval covering zero gets "kan ikke skilles fra tilfeldig variasjon" / "cannot be told apart
from chance"; otherwise the sentence gives the direction and the smallest and largest change the
interval is compatible with, and says what it was compared with, never that the intervention caused it.
A time-series interval (one target or reference unit) holds no variation between units — on the demo
data two neighbouring nursing homes drift apart by several points with no intervention at all — so
its verdict never goes beyond "cannot be reliably told apart from chance".
"""

from __future__ import annotations

from naervaer.stats.evaluation.indicators import Indicator
from naervaer.stats.evaluation.models import Estimate

PHASE_NB = {"active": "den aktive prosjektperioden", "after": "perioden etter prosjektet"}
PHASE_EN = {"active": "the active project period", "after": "the period after the project"}
COMPARED_NB = {
    "did": "sammenlignet med referanseenhetene",
    "did_poisson": "sammenlignet med referanseenhetene",
    "its_comparative_hac": "sammenlignet med referanseenheten og trenden før",
    "its_hac": "sammenlignet med nivå og trend før prosjektet (ingen referanse)",
}
COMPARED_EN = {
    "did": "compared with the reference units",
    "did_poisson": "compared with the reference units",
    "its_comparative_hac": "compared with the reference unit and the earlier trend",
    "its_hac": "compared with the level and trend before the project (no reference)",
}


def _number(value: float, unit: str, lang: str) -> str:
    text = f"{100 * value:+.1f} %" if unit == "relative change" else f"{value:+.2f}"
    return text.replace(".", ",").replace("-", "−") if lang == "nb" else text.replace("-", "−")


def _unit_words(indicator: Indicator, unit: str, lang: str) -> str:
    if unit == "relative change":
        return ""
    return indicator.unit_nb if lang == "nb" else indicator.unit_en


def verdict(indicator: Indicator, estimate: Estimate) -> dict[str, str]:
    """One sentence per language for one primary estimate."""
    sentences = {}
    for lang, phases, compared in (("nb", PHASE_NB, COMPARED_NB), ("en", PHASE_EN, COMPARED_EN)):
        title = indicator.title_nb if lang == "nb" else indicator.title_en
        unit = _unit_words(indicator, estimate.unit_of_estimate, lang)
        est, low, high = (
            _number(v, estimate.unit_of_estimate, lang)
            for v in (estimate.estimate, estimate.ci_low, estimate.ci_high)
        )
        interval = (
            f"{est} {unit} (95 % KI {low} til {high})"
            if lang == "nb"
            else f"{est} {unit} (95 % CI {low} to {high})"
        )
        interval = " ".join(interval.split())
        where = f"i {phases[estimate.phase]}" if lang == "nb" else f"in {phases[estimate.phase]}"
        cmp_text = compared[estimate.method]
        if estimate.method.startswith("its") and not estimate.covers_zero:
            text = (
                f"{title}: tidsserien {where} endret seg med {interval}, {cmp_text}. Med bare én mål- eller "
                "referanseenhet kan variasjonen mellom enheter ikke måles, så endringen kan ikke sikkert skilles "
                "fra tilfeldig variasjon."
                if lang == "nb"
                else f"{title}: the series {where} moved by {interval}, {cmp_text}. With a single target or reference "
                "unit the variation between units cannot be measured, so the change cannot be reliably told "
                "apart from chance."
            )
        elif estimate.covers_zero:
            tail = (
                "kan ikke skilles fra tilfeldig variasjon."
                if lang == "nb"
                else "cannot be told apart from chance."
            )
            text = (
                f"{title}: endringen {where}, {cmp_text}, er {interval} og {tail}"
                if lang == "nb"
                else f"{title}: the change {where}, {cmp_text}, is {interval} and {tail}"
            )
        else:
            near, far = sorted((abs(estimate.ci_low), abs(estimate.ci_high)))
            near_s, far_s = (
                _number(v, estimate.unit_of_estimate, lang).lstrip("+") for v in (near, far)
            )
            down = estimate.ci_high < 0
            if lang == "nb":
                word = "nedgang" if down else "økning"
                text = (
                    f"{title}: {where} var endringen {interval}, {cmp_text}. Intervallet ligger helt "
                    f"{'under' if down else 'over'} null: en {word} på mellom {near_s} og {far_s} {unit}."
                )
            else:
                word = "decrease" if down else "increase"
                text = (
                    f"{title}: {where} the change was {interval}, {cmp_text}. The interval lies entirely "
                    f"{'below' if down else 'above'} zero: {'a decrease' if down else 'an increase'} of between {near_s} and {far_s} {unit}."
                )
            text = " ".join(text.split()).replace(" .", ".")
        if estimate.method.startswith("its") and estimate.covers_zero:
            text += (
                " Intervallet bygger på én tidsserie og fanger ikke tilfeldig variasjon mellom enheter."
                if lang == "nb"
                else " The interval rests on one time series and misses chance variation between units."
            )
        sentences[lang] = text[0].upper() + text[1:]
    return sentences
