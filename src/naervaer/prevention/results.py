"""The results of a survey round for one unit and its subtree, as the page and every export show them.

The counts of the whole round are computed once (``tally``) and cached per round and number of
answers; a page then reads its group, the organisation and the previous round from them. What a
viewer may see is decided before anything is presented: groups under the round's minimum are
suppressed — and so is whatever would let one be recovered by subtraction — and free text needs
its own, larger minimum and is never shown to a leader of a unit smaller than that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from naervaer.insight.tables import Column, Table
from naervaer.org.models import Unit
from naervaer.prevention import disclosure, tally
from naervaer.prevention.models import Invitation, Response, SurveyRound
from naervaer.stats import present_percent

LOWEST = 3
CACHE_SECONDS = 24 * 3600
MASK_TEXT = _("not shown: fewer respondents than the round's minimum")


@dataclass
class RoundCounts:
    """A round's tally with the instrument's factor layout and the suppressed rows."""

    tally: tally.Tally
    names: dict[int, str]
    factor_keys: list[str]
    factor_titles: dict[str, tuple[str, str]]
    means: np.ndarray  # [unit, factor]
    shares: np.ndarray  # [unit, factor, low/middle/high]
    hidden: set[int]  # unit ids whose subtree figures are suppressed
    band_means: dict[str, np.ndarray] = field(default_factory=dict)
    band_hidden: dict[int, set[str]] = field(default_factory=dict)  # unit → hidden band options


def stamp(survey: SurveyRound) -> str:
    """A cache key that changes with every answer, with the status and with the minimum."""
    answered = Response.objects.filter(round=survey).count()
    return f"prevention:round:{survey.pk}:{survey.status}:{survey.min_group}:{answered}"


def _subtree_parents(root: Unit) -> tuple[dict[int, int | None], dict[int, str]]:
    """The round's units (the root and everything below it) with their parents and names."""
    rows = Unit.objects.filter(organisation_id=root.organisation_id).values_list(
        "id", "parent_id", "name"
    )
    children: dict[int | None, list[int]] = {}
    names: dict[int, str] = {}
    for unit_id, parent_id, name in rows:
        children.setdefault(parent_id, []).append(unit_id)
        names[unit_id] = name
    parents: dict[int, int | None] = {root.pk: None}
    stack = [root.pk]
    while stack:
        current = stack.pop()
        for child in children.get(current, []):
            if child not in parents:
                parents[child] = current
                stack.append(child)
    return parents, {unit_id: names[unit_id] for unit_id in parents}


def round_counts(survey: SurveyRound) -> RoundCounts:
    """The round's counts from the cache, or computed from the stored answers."""
    key = stamp(survey)
    counts = cache.get(key)
    if counts is None:
        counts = _compute(survey)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def _compute(survey: SurveyRound) -> RoundCounts:
    definition = survey.instrument.definition
    scale = (definition["scale"]["min"], definition["scale"]["max"])
    parents, names = _subtree_parents(survey.root_unit)
    invited = dict(
        Invitation.objects.filter(round=survey)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    answers = Response.objects.filter(round=survey).values_list("unit_id", "values", "bands")
    counted = tally.tally(
        parents, answers, invited, scale, [item["reverse"] for item in definition["items"]]
    )
    index = {item["key"]: i for i, item in enumerate(definition["items"])}
    factor_items = [[index[k] for k in factor["items"]] for factor in definition["factors"]]
    means, shares = tally.factor_scores(counted.counts, factor_items, scale)
    hidden_rows = disclosure.hidden_rows(
        counted.parent_index, counted.respondents, counted.own_respondents, survey.min_group
    )
    band_means = {
        label: tally.factor_scores(grid, factor_items, scale)[0]
        for label, grid in counted.band_counts.items()
    }
    band_hidden = _band_hidden(counted, survey.min_group)
    return RoundCounts(
        tally=counted,
        names=names,
        factor_keys=[f["key"] for f in definition["factors"]],
        factor_titles={f["key"]: (f["title_nb"], f["title_en"]) for f in definition["factors"]},
        means=means,
        shares=shares,
        hidden={counted.unit_ids[i] for i in hidden_rows},
        band_means=band_means,
        band_hidden=band_hidden,
    )


def _band_hidden(counted: tally.Tally, minimum: int) -> dict[int, set[str]]:
    """Per unit, the band options not shown: each band's options split the unit's respondents,
    so they are suppressed as one level below the unit (the unit total is the parent)."""
    result: dict[int, set[str]] = {}
    bands: dict[str, list[str]] = {}
    for label in counted.band_respondents:
        bands.setdefault(label.partition("=")[0], []).append(label)
    for row, unit_id in enumerate(counted.unit_ids):
        hidden: set[str] = set()
        for labels in bands.values():
            sizes = np.array([counted.band_respondents[lb][row] for lb in labels], dtype=np.int64)
            total = int(counted.respondents[row])
            answered = int(sizes.sum())
            parent_index = np.array([-1] + [0] * len(labels), dtype=np.int64)
            people = np.concatenate([[total], sizes])
            own = np.concatenate([[total - answered], np.zeros(len(labels), dtype=np.int64)])
            own[1:] = sizes
            rows = disclosure.hidden_rows(parent_index, people, own, minimum)
            hidden |= {labels[i - 1] for i in rows if i > 0}
        result[unit_id] = hidden
    return result


def _title(titles: tuple[str, str]) -> str:
    return titles[1] if (get_language() or "nb").startswith("en") else titles[0]


def _score(value: float) -> Decimal | None:
    """A factor score on the instrument's scale, half-up to one decimal."""
    return None if np.isnan(value) else present_percent(float(value))


def _percent(value: float) -> Decimal | None:
    return None if np.isnan(value) else present_percent(float(value) * 100)


FACTOR_COLUMNS = [
    Column("factor", _("Factor"), "text"),
    Column("score", _("Score (1–5)"), "number"),
    Column("organisation", _("Whole round"), "number"),
    Column("previous", _("Previous round"), "number"),
    Column("low", _("Disagree %"), "percent"),
    Column("middle", _("Neutral %"), "percent"),
    Column("high", _("Agree %"), "percent"),
    Column("lowest", _("Among the lowest"), "text"),
]
UNIT_COLUMNS = [
    Column("name", _("Unit"), "text"),
    Column("respondents", _("Respondents"), "count"),
    Column("response_rate", _("Response rate %"), "percent"),
]


@dataclass
class GroupResult:
    survey: SurveyRound
    unit: Unit
    shown: bool
    respondents: int | None
    response_rate: Decimal | None
    factors: Table
    units: Table
    bands: Table
    lowest: list[str]
    comments: list[str] | None
    comments_reason: str


def _rate(counts: RoundCounts, row: int) -> Decimal | None:
    invited = int(counts.tally.invited[row])
    if invited < 5 or counts.tally.unit_ids[row] in counts.hidden:
        return None
    return present_percent(100 * int(counts.tally.respondents[row]) / invited)


def lowest_factors(counts: RoundCounts, unit_id: int, how_many: int = LOWEST) -> list[str]:
    """The keys of a shown group's lowest-scoring factors (empty when suppressed)."""
    if unit_id in counts.hidden or not counts.tally.has(unit_id):
        return []
    scores = counts.means[counts.tally.row(unit_id)]
    ranked = [i for i in np.argsort(scores, kind="stable") if not np.isnan(scores[i])]
    return [counts.factor_keys[i] for i in ranked[: min(how_many, max(0, len(ranked) - 1))]]


def _factor_table(
    counts: RoundCounts, unit_id: int, previous: RoundCounts | None, previous_unit: bool
) -> tuple[Table, list[str]]:
    row = counts.tally.row(unit_id)
    root = 0 if counts.tally.parent_index[0] < 0 else int(np.argmin(counts.tally.parent_index))
    lowest = lowest_factors(counts, unit_id)
    rows = []
    for f, key in enumerate(counts.factor_keys):
        before = None
        if previous is not None and previous_unit and key in previous.factor_keys:
            before_row = previous.tally.row(unit_id)
            before = _score(previous.means[before_row, previous.factor_keys.index(key)])
        rows.append(
            {
                "masked": False,
                "mask_reason": "",
                "key": key,
                "factor": _title(counts.factor_titles[key]),
                "score": _score(counts.means[row, f]),
                "organisation": _score(counts.means[root, f]),
                "previous": before,
                "low": _percent(counts.shares[row, f, 0]),
                "middle": _percent(counts.shares[row, f, 1]),
                "high": _percent(counts.shares[row, f, 2]),
                "lowest": str(_("yes")) if key in lowest else "",
            }
        )
    return Table("factors", _("Factor scores"), FACTOR_COLUMNS, rows), lowest


def _unit_table(counts: RoundCounts, survey: SurveyRound, unit_id: int, visible: set[int]) -> Table:
    columns = UNIT_COLUMNS + [
        Column(key, _title(counts.factor_titles[key]), "number") for key in counts.factor_keys
    ]
    rows = []
    for row, child in enumerate(counts.tally.unit_ids):
        if int(counts.tally.parent_index[row]) < 0 or child not in visible:
            continue
        if counts.tally.unit_ids[int(counts.tally.parent_index[row])] != unit_id:
            continue
        masked = child in counts.hidden
        entry = {
            "masked": masked,
            "mask_reason": str(MASK_TEXT) if masked else "",
            "name": counts.names[child],
            "unit_id": child,
            "url": unit_url(survey, child),
            "respondents": None if masked else int(counts.tally.respondents[row]),
            "response_rate": _rate(counts, row),
        }
        for f, key in enumerate(counts.factor_keys):
            entry[key] = None if masked else _score(counts.means[row, f])
        rows.append(entry)
    rows.sort(key=lambda r: r["name"])
    return Table("units", _("Units below"), columns, rows)


def _band_table(counts: RoundCounts, survey: SurveyRound, unit_id: int) -> Table:
    columns = [Column("band", _("Group"), "text"), Column("respondents", _("Respondents"), "count")]
    columns += [
        Column(key, _title(counts.factor_titles[key]), "number") for key in counts.factor_keys
    ]
    row = counts.tally.row(unit_id)
    hidden = counts.band_hidden.get(unit_id, set())
    english = (get_language() or "nb").startswith("en")
    rows = []
    for band in survey.bands:
        label = band.get("label_en" if english else "label_nb") or band["key"]
        for option in band["options"]:
            key = f"{band['key']}={option}"
            masked = key in hidden or key not in counts.tally.band_respondents
            entry = {
                "masked": masked or unit_id in counts.hidden,
                "mask_reason": str(MASK_TEXT) if masked or unit_id in counts.hidden else "",
                "band": f"{label}: {option}",
            }
            if not entry["masked"]:
                entry["respondents"] = int(counts.tally.band_respondents[key][row])
                for f, factor in enumerate(counts.factor_keys):
                    entry[factor] = _score(counts.band_means[key][row, f])
            rows.append(entry)
    return Table("bands", _("By group"), columns, rows)


def group_result(survey: SurveyRound, unit: Unit, visible: set[int], led: set[int]) -> GroupResult:
    """One group's results as a viewer sees them (``visible``: units they may see results of;
    ``led``: units they lead, for the free-text rule)."""
    counts = round_counts(survey)
    row = counts.tally.row(unit.pk)
    previous = round_counts(survey.previous) if survey.previous_id else None
    previous_unit = previous is not None and previous.tally.has(unit.pk)
    shown = unit.pk not in counts.hidden
    factors, lowest = _factor_table(counts, unit.pk, previous, previous_unit)
    if not shown:
        factors = Table(factors.slug, factors.title, factors.columns, [])
        lowest = []
    comments, reason = _comments(survey, counts, unit, led) if shown else (None, "")
    return GroupResult(
        survey=survey,
        unit=unit,
        shown=shown,
        respondents=int(counts.tally.respondents[row]) if shown else None,
        response_rate=_rate(counts, row),
        factors=factors,
        units=_unit_table(counts, survey, unit.pk, visible),
        bands=_band_table(counts, survey, unit.pk) if shown else Table("bands", "", [], []),
        lowest=[_title(counts.factor_titles[k]) for k in lowest],
        comments=comments,
        comments_reason=reason,
    )


def _comments(
    survey: SurveyRound, counts: RoundCounts, unit: Unit, led: set[int]
) -> tuple[list[str] | None, str]:
    if not survey.instrument.definition.get("free_text"):
        return None, ""
    row = counts.tally.row(unit.pk)
    if int(counts.tally.respondents[row]) < survey.min_free_text:
        return None, str(
            _("Free-text answers are shown only for groups of at least %(n)s respondents.")
            % {"n": survey.min_free_text}
        )
    small_led = [
        u
        for u in led
        if counts.tally.has(u)
        and int(counts.tally.respondents[counts.tally.row(u)]) < survey.min_free_text
    ]
    if small_led:
        return None, str(
            _(
                "Free-text answers are not shown to the leader of a unit with fewer than "
                "%(n)s respondents."
            )
            % {"n": survey.min_free_text}
        )
    subtree = _subtree(counts, unit.pk)
    answers = Response.objects.filter(round=survey)
    if len(subtree) < len(counts.tally.unit_ids):
        answers = answers.filter(unit_id__in=subtree)
    texts = answers.exclude(comment="").order_by("id").values_list("comment", flat=True)
    return list(texts), ""


def _subtree(counts: RoundCounts, unit_id: int) -> list[int]:
    found, stack = [], [counts.tally.row(unit_id)]
    children: dict[int, list[int]] = {}
    for i, parent in enumerate(counts.tally.parent_index):
        children.setdefault(int(parent), []).append(i)
    while stack:
        current = stack.pop()
        found.append(counts.tally.unit_ids[current])
        stack.extend(children.get(current, []))
    return found


def unit_url(survey: SurveyRound, unit_id: int) -> str:
    return reverse("prevention:results", args=[survey.pk, unit_id])
