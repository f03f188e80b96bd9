"""The measure families: which rows each adds to the dense sums, with what weight, in which block.

- employments (in the range) add possible workdays (× position %) and employment days;
- absences resolved to employment rows add lost workdays (× position % × grade %) in their
  duration-class block and their kind × graded block, and the spells that start in them. An
  absence naming its employment is a lookup, resolved here batch by batch; one without comes
  from the backend's join (``relations.implicit_pairs``). An absence no other absence of the
  person touches is a spell by itself; the few others are chained into spells here;
- persons come summed per group and period from the backend (``relations.person_family``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from naervaer.stats.accumulate import Placed, Sums
from naervaer.stats.indicators import LOST_BLOCKS, duration_class
from naervaer.stats.prepare import EngineInput
from naervaer.stats.relations import Relations

BATCH_ROWS = 1 << 18


def _cut(
    engine_input: EngineInput, arow: np.ndarray, erow: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each absence inside the employment row it is paired with."""
    a = engine_input.arrays
    return np.maximum(a.a_s[arow], a.emp_s[erow]), np.minimum(a.a_e[arow], a.emp_e[erow])


@dataclass(frozen=True)
class Resolved:
    """Absences cut to the employment rows they apply to, with the spell each belongs to."""

    erow: np.ndarray
    s: np.ndarray  # first and last day inside the employment (row)
    e: np.ndarray
    spell_start: np.ndarray  # the spell, inside the whole employment
    spell_end: np.ndarray
    weight: np.ndarray  # position % × grade % / 10 000
    kind: np.ndarray  # 0 self-certified, 1 doctor-certified
    graded: np.ndarray  # 1 for a grade below 100, else 0

    @property
    def length(self) -> np.ndarray:
        days: np.ndarray = self.spell_end - self.spell_start + 1
        return days

    @classmethod
    def of(
        cls,
        engine_input: EngineInput,
        arow: np.ndarray,
        erow: np.ndarray,
        spell_start: np.ndarray | None = None,
        spell_end: np.ndarray | None = None,
        in_range: bool = True,
    ) -> Resolved:
        """Absence rows ``arow`` cut to employment rows ``erow``; pairs that do not overlap (or, with
        ``in_range``, do not reach into the range) are left out. Without ``spell_start`` and
        ``spell_end`` each absence is a spell by itself, cut to its whole employment."""
        a = engine_input.arrays
        s, e = _cut(engine_input, arow, erow)
        keep = s <= e
        if in_range:
            keep &= (s <= engine_input.range_hi) & (e >= engine_input.range_lo)
        if not keep.all():
            arow, erow, s, e = arow[keep], erow[keep], s[keep], e[keep]
            spell_start = None if spell_start is None else spell_start[keep]
            spell_end = None if spell_end is None else spell_end[keep]
        if spell_start is None or spell_end is None:
            spell_start, spell_end = (
                np.maximum(a.a_s[arow], a.emp_es[erow]),
                np.minimum(a.a_e[arow], a.emp_ee[erow]),
            )
        grade = a.grade[arow]
        return cls(
            erow,
            s,
            e,
            spell_start,
            spell_end,
            a.emp_pp[erow] * grade / 10_000,
            a.kind[arow],
            (grade < 100).view(np.int8),
        )


def named_pairs(
    engine_input: EngineInput, touching: bool
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(arow, erow) in batches for the absences that name their employment (and touch another
    absence, or not): one pair per row of the employment (its pieces, for the age-band breakdown)."""
    a = engine_input.arrays
    for first in range(0, len(a.a_s), BATCH_ROWS):
        named = a.a_employment[first : first + BATCH_ROWS].astype(np.int64)
        arow = np.flatnonzero((named >= 0) & (a.touching[first : first + BATCH_ROWS] == touching))
        named = named[arow]
        arow += first
        count = a.emp_count[named]
        if (count == 1).all():
            yield arow, a.emp_first[named]
            continue
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        yield np.repeat(arow, count), np.repeat(a.emp_first[named], count) + offset


def _add_employments(sums: Sums, engine_input: EngineInput) -> None:
    a, bounds = engine_input.arrays, engine_input.bounds
    rows = np.flatnonzero(a.emp_group >= 0)
    for first in range(0, len(rows), BATCH_ROWS):
        chunk = rows[first : first + BATCH_ROWS]
        placed = Placed.of(bounds, a.emp_group[chunk], a.emp_s[chunk], a.emp_e[chunk], sums.periods)
        for measure, offsets, weight in (
            ("possible_workdays", bounds.workdays, a.emp_pp[chunk]),
            ("employment_days", bounds.days, 1.0),
        ):
            parts, deltas = placed.running(offsets)
            sums.add(measure, parts.cells, parts.weighted(weight))
            sums.add_delta(measure, deltas.cells, deltas.weighted(weight))


def _add_absences(sums: Sums, engine_input: EngineInput, pairs: Resolved) -> None:
    bounds = engine_input.bounds
    placed = Placed.of(
        bounds, engine_input.arrays.emp_group[pairs.erow], pairs.s, pairs.e, sums.periods
    )
    spread = placed.whole(bounds.workdays, engine_input.full_workdays)
    lost = spread.weighted(pairs.weight)
    category = {
        "lost_class": duration_class(pairs.length),
        "lost_kind": pairs.kind * 2 + pairs.graded,
    }
    for block, index in category.items():
        sums.add(
            block,
            spread.cells + spread.of(index).astype(np.int64) * sums.size,
            lost,
            LOST_BLOCKS[block],
        )
    starts = np.flatnonzero(
        (pairs.s == pairs.spell_start) & (pairs.spell_start >= engine_input.range_lo)
    )
    sums.add("spells", placed.start[starts], 1.0)
    sums.add("spell_days", placed.start[starts], pairs.length[starts].astype(np.float64))


def _add_persons(
    sums: Sums, engine_input: EngineInput, measures: list[str], summed: pa.Table
) -> None:
    window = summed["window"].to_numpy()
    cells = (
        engine_input.groups.rows(summed["key"].to_numpy()) * sums.periods
        + summed["pidx"].to_numpy()
    )
    for number, measure in enumerate(measures):
        mine = window == number
        sums.add_delta(measure, cells[mine], summed["delta"].to_numpy()[mine])


def chained(
    engine_input: EngineInput, arow: np.ndarray, erow: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of touching absences and employment rows that overlap, with the first and last
    day of the spell of each: a spell chains the absences of one employment (all its pieces) where
    each starts at most a day after the previous ends. Validation rejects overlapping absences of
    one employment. Returns arow, erow, spell_start, spell_end."""
    s, e = _cut(engine_input, arow, erow)
    overlapping = s <= e
    arow, erow, s, e = arow[overlapping], erow[overlapping], s[overlapping], e[overlapping]
    employment = engine_input.arrays.emp_source[erow]
    order = np.lexsort((s, employment))
    s, e, employment = s[order], e[order], employment[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (employment[1:] != employment[:-1]) | (s[1:] > e[:-1] + 1)
    last = np.append(first[1:], True)
    start_row = np.maximum.accumulate(np.where(first, np.arange(len(s)), 0))
    end_row = np.minimum.accumulate(np.where(last, np.arange(len(s)), len(s))[::-1])[::-1]
    spell_start, spell_end = np.empty_like(s), np.empty_like(e)
    spell_start[order], spell_end[order] = s[start_row], e[end_row]
    return arow, erow, spell_start, spell_end


def resolved(relations: Relations, in_range: bool = True) -> Iterator[Resolved]:
    """Every absence resolved to the employment rows it applies to, in batches."""
    engine_input, backend = relations.input, relations.backend
    for arow, erow in named_pairs(engine_input, touching=False):
        yield Resolved.of(engine_input, arow, erow, in_range=in_range)
    touching = [*named_pairs(engine_input, touching=True)]
    if engine_input.absences.num_rows:
        pairs = backend.to_pyarrow(relations.implicit_pairs())
        arow, erow = (
            pairs["arow"].to_numpy().astype(np.int64),
            pairs["erow"].to_numpy().astype(np.int64),
        )
        alone = ~engine_input.arrays.touching[arow]
        yield Resolved.of(engine_input, arow[alone], erow[alone], in_range=in_range)
        touching.append((arow[~alone], erow[~alone]))
    if touching:
        arow, erow = (np.concatenate(side) for side in zip(*touching, strict=True))
        yield Resolved.of(engine_input, *chained(engine_input, arow, erow), in_range=in_range)


def sums(relations: Relations, window: int) -> Sums:
    """Every family's parts and deltas over the engine input's groups × periods."""
    engine_input, backend = relations.input, relations.backend
    out = Sums(len(engine_input.groups.keys), len(engine_input.periods))
    _add_employments(out, engine_input)
    for pairs in resolved(relations):
        _add_absences(out, engine_input, pairs)
    spans = {"persons": 1} | ({"persons_window": window} if window > 1 else {})
    _add_persons(
        out,
        engine_input,
        list(spans),
        backend.to_pyarrow(relations.person_family(tuple(spans.values()))),
    )
    return out
