"""The measure families: which rows each adds to the dense sums, with what weight, in which block.

- employments (in the range) add possible workdays (× position %) and employment days;
- absences resolved to employment rows add lost workdays (× position % × grade %) in their
  duration-class, kind and graded blocks, and the spells that start in them. An absence that
  names its employment and touches no other is a lookup and a spell by itself: those, nearly all
  of them, are resolved here batch by batch; the rest come from the backend (``relations``);
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


@dataclass(frozen=True)
class Resolved:
    """Absences cut to the employment rows they apply to, with the spell each belongs to."""

    erow: np.ndarray
    s: np.ndarray            # first and last day inside the employment (row)
    e: np.ndarray
    spell_start: np.ndarray  # the spell, inside the whole employment
    spell_end: np.ndarray
    weight: np.ndarray       # position % × grade % / 10 000
    kind: np.ndarray         # 0 self-certified, 1 doctor-certified
    graded: np.ndarray       # 1 for a grade below 100, else 0

    @property
    def length(self) -> np.ndarray:
        return self.spell_end - self.spell_start + 1

    @classmethod
    def of(cls, engine_input: EngineInput, arow: np.ndarray, erow: np.ndarray, spell_start: np.ndarray | None = None,
           spell_end: np.ndarray | None = None, in_range: bool = True) -> Resolved:
        """Absence rows ``arow`` cut to employment rows ``erow``; pairs that do not overlap (or, with
        ``in_range``, do not reach into the range) are left out. Without ``spell_start`` and
        ``spell_end`` each absence is a spell by itself, cut to its whole employment."""
        a = engine_input.arrays
        a_s, a_e = a.a_s[arow], a.a_e[arow]
        s, e = np.maximum(a_s, a.emp_s[erow]), np.minimum(a_e, a.emp_e[erow])
        keep = s <= e
        if in_range:
            keep &= (s <= engine_input.range_hi) & (e >= engine_input.range_lo)
        if not keep.all():
            arow, erow, s, e, a_s, a_e = arow[keep], erow[keep], s[keep], e[keep], a_s[keep], a_e[keep]
            spell_start = None if spell_start is None else spell_start[keep]
            spell_end = None if spell_end is None else spell_end[keep]
        if spell_start is None:
            spell_start, spell_end = np.maximum(a_s, a.emp_es[erow]), np.minimum(a_e, a.emp_ee[erow])
        grade = a.grade[arow]
        return cls(erow, s, e, spell_start, spell_end, a.emp_pp[erow] * grade / 10_000, a.kind[arow],
                   (grade < 100).view(np.int8))

    @classmethod
    def of_table(cls, engine_input: EngineInput, pairs: pa.Table, in_range: bool = True) -> Resolved:
        """Pairs from a relation (arow, erow and, for chained absences, their spell)."""
        spell = [pairs[c].to_numpy().astype(np.int32) for c in ("spell_start", "spell_end") if c in pairs.column_names]
        return cls.of(engine_input, pairs["arow"].to_numpy().astype(np.int64), pairs["erow"].to_numpy().astype(np.int64),
                      *spell, in_range=in_range)


def named_pairs(engine_input: EngineInput) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(arow, erow) in batches for the absences that name their employment and touch no other:
    one pair per row of the employment (its pieces, for the age-band breakdown)."""
    a = engine_input.arrays
    for first in range(0, len(a.a_s), BATCH_ROWS):
        named = a.a_employment[first:first + BATCH_ROWS].astype(np.int64)
        arow = np.flatnonzero((named >= 0) & ~a.touching[first:first + BATCH_ROWS])
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
        chunk = rows[first:first + BATCH_ROWS]
        placed = Placed.of(bounds, a.emp_group[chunk], a.emp_s[chunk], a.emp_e[chunk], sums.periods)
        for measure, offsets, weight in (("possible_workdays", bounds.workdays, a.emp_pp[chunk]),
                                         ("employment_days", bounds.days, 1.0)):
            parts, deltas = placed.running(offsets)
            sums.add(measure, parts.cells, parts.weighted(weight))
            sums.add_delta(measure, deltas.cells, deltas.weighted(weight))


def _add_absences(sums: Sums, engine_input: EngineInput, pairs: Resolved) -> None:
    bounds = engine_input.bounds
    placed = Placed.of(bounds, engine_input.arrays.emp_group[pairs.erow], pairs.s, pairs.e, sums.periods)
    spread = placed.whole(bounds.workdays, engine_input.full_workdays)
    lost = spread.weighted(pairs.weight)
    category = {"lost_class": duration_class(pairs.length), "lost_kind": pairs.kind * 2 + pairs.graded}
    for block, index in category.items():
        sums.add(block, spread.cells + spread.of(index).astype(np.int64) * sums.size, lost, LOST_BLOCKS[block])
    starts = np.flatnonzero((pairs.s == pairs.spell_start) & (pairs.spell_start >= engine_input.range_lo))
    sums.add("spells", placed.start[starts], 1.0)
    sums.add("spell_days", placed.start[starts], pairs.length[starts].astype(np.float64))


def _add_persons(sums: Sums, engine_input: EngineInput, measure: str, summed: pa.Table) -> None:
    rows = engine_input.groups.rows(summed["key"].to_numpy())
    sums.add_delta(measure, rows * sums.periods + summed["pidx"].to_numpy(), summed["delta"].to_numpy())


def resolved(relations: Relations, in_range: bool = True) -> Iterator[Resolved]:
    """Every absence resolved to the employment rows it applies to, in batches."""
    engine_input, backend = relations.input, relations.backend
    for arow, erow in named_pairs(engine_input):
        yield Resolved.of(engine_input, arow, erow, in_range=in_range)
    for relation in (relations.implicit_pairs(in_range), relations.chained_pairs(in_range)):
        pairs = backend.to_pyarrow(relation)
        if pairs.num_rows:
            yield Resolved.of_table(engine_input, pairs, in_range)


def sums(relations: Relations, window: int) -> Sums:
    """Every family's parts and deltas over the engine input's groups × periods."""
    engine_input, backend = relations.input, relations.backend
    out = Sums(len(engine_input.groups.keys), len(engine_input.periods))
    _add_employments(out, engine_input)
    for pairs in resolved(relations):
        _add_absences(out, engine_input, pairs)
    for measure, span in (("persons", 1), ("persons_window", window)) if window > 1 else (("persons", 1),):
        _add_persons(out, engine_input, measure, backend.to_pyarrow(relations.person_family(span)))
    return out
