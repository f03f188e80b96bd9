"""The suppression pattern of everything the engine can publish, decided once for all channels.

Every output of ``compute`` is a slice of one cube: unit (a unit with its subtree, a unit's own
employees, or the whole organisation) × category (all persons, or one value of the occupation,
sex or age-band breakdown) × period (month, quarter, year, last four quarters). Its additive
relations, for every measure but persons:

- a unit with its subtree = its own employees + its children with their subtrees; the
  organisation = its top units;
- all persons = the sum of the values of each breakdown (age bands count the age on the first day
  of each month, so this holds for every period);
- a quarter = its three months.

Each quarter is one system of those relations (``disclosure.suppress``: primary, complementary,
then an exact audit), so a month or a quarter gets the same answer whichever range is asked for.
A year and a window of four quarters add up quarters, and are hidden when any of their quarters
is: then either all their quarters are shown (and they tell nothing new) or the hidden quarter
has the year (window) as an unknown beside it, and nothing can be solved for. The pattern does
not depend on which channel asks, so pages, files and the command line hide the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from naervaer.stats.disclosure import Equations, suppress
from naervaer.stats.periods import Period, build_periods, covering_range
from naervaer.stats.prepare import BREAKDOWNS, prepare, unit_parents

QUARTER = 3  # cells per quarter and node × category: three months, then the quarter (index 3)


@dataclass(frozen=True)
class Pattern:
    """Hidden cells of the cube: ``hidden[quarter, node, category, t]`` with t = month in the
    quarter (0–2) or the quarter itself (3). Nodes: unit code u with its subtree, n + u its own
    employees, 2n the organisation; categories: 0 all persons, then each breakdown's labels."""

    first_month: int  # year × 12 + month − 1 of the first quarter's first month
    unit_ids: np.ndarray  # sorted unit ids (position = unit code)
    categories: dict[str | None, dict[str, int]]  # breakdown → label → category
    hidden: np.ndarray

    def cells(
        self,
        unit_ids: np.ndarray | None,
        rollup: bool,
        breakdown: str | None,
        labels: np.ndarray | None,
        periods: Sequence[Period],
    ) -> np.ndarray:
        """Hidden flags of an output's rows × periods: rows are units (ids; None for the whole
        organisation) × breakdown labels as ``compute`` lays them out."""
        n = len(self.unit_ids)
        if unit_ids is None:
            nodes = np.full(len(labels) if labels is not None else 1, 2 * n, dtype=np.int64)
        else:
            codes = np.searchsorted(self.unit_ids, unit_ids)
            if (codes >= n).any() or (self.unit_ids[np.minimum(codes, n - 1)] != unit_ids).any():
                raise ValueError("the suppression pattern was built for other units")
            nodes = codes if rollup else n + codes
        if breakdown is None or labels is None:
            categories = np.zeros(len(nodes), dtype=np.int64)
        else:
            lookup = self.categories[breakdown]
            categories = np.array([lookup[str(label)] for label in labels], dtype=np.int64)
        out = np.zeros((len(nodes), len(periods)), dtype=bool)
        quarters = self.hidden.shape[0]
        for column, period in enumerate(periods):
            start = period.start.year * 12 + period.start.month - 1 - self.first_month
            end = period.end.year * 12 + period.end.month - 1 - self.first_month
            if start < 0 or end // QUARTER >= quarters:
                raise ValueError(f"the suppression pattern does not cover {period.label}")
            if start == end:  # a month
                out[:, column] = self.hidden[start // QUARTER, nodes, categories, start % QUARTER]
            else:  # whole quarters: hidden when any of them is
                span = self.hidden[start // QUARTER : end // QUARTER + 1, :, :, QUARTER]
                out[:, column] = span[:, nodes, categories].any(axis=0)
        return out


def _breakdowns(tables: dict[str, pa.Table]) -> list[str | None]:
    """The breakdowns the input can give: occupation always, sex and age band with persons."""
    return [None, *[b for b in BREAKDOWNS if b == "occupation" or "persons" in tables]]


@dataclass(frozen=True)
class _Rows:
    """Employment rows (age-band pieces) in the range: unit code, breakdown code, first and last
    month (period index), person code; and each unit code's ancestors (itself first)."""

    unit: np.ndarray
    b: np.ndarray
    first: np.ndarray
    last: np.ndarray
    person: np.ndarray
    labels: np.ndarray
    ancestors: np.ndarray  # closure codes, grouped by unit
    ancestor_start: np.ndarray  # where each unit's ancestors start in ``ancestors``

    @classmethod
    def of(
        cls, tables: dict[str, pa.Table], breakdown: str | None, first: dt.date, last: dt.date
    ) -> _Rows:
        engine_input = prepare(tables, "month", first, last, breakdown, True, True)
        emp = engine_input.employments
        s, e = emp["s"].to_numpy(), emp["e"].to_numpy()
        keep = (s <= engine_input.range_hi) & (e >= engine_input.range_lo)
        _, person = np.unique(emp["employee_id"].to_numpy()[keep], return_inverse=True)
        closure = engine_input.closure
        order = np.argsort(closure["unit_id"].to_numpy(), kind="stable")
        units = closure["unit_id"].to_numpy()[order]
        return cls(
            emp["unit_id"].to_numpy()[keep].astype(np.int64),
            emp["b"].to_numpy()[keep].astype(np.int64),
            emp["s_p"].to_numpy()[keep].astype(np.int64),
            emp["l_p"].to_numpy()[keep].astype(np.int64),
            person.astype(np.int64),
            engine_input.breakdown_labels,
            closure["ancestor"].to_numpy()[order].astype(np.int64),
            np.searchsorted(units, np.arange(len(engine_input.unit_ids) + 1)),
        )

    def headcounts(self, quarter: int, n: int) -> np.ndarray:
        """Distinct persons per node × breakdown code × (its three months, the quarter)."""
        width = len(self.labels)
        lo, hi = quarter * QUARTER, quarter * QUARTER + QUARTER - 1
        rows = np.flatnonzero((self.first <= hi) & (self.last >= lo))
        cells_row, cells_t = [rows], [np.full(len(rows), QUARTER)]
        for month in range(QUARTER):
            inside = rows[(self.first[rows] <= lo + month) & (self.last[rows] >= lo + month)]
            cells_row.append(inside)
            cells_t.append(np.full(len(inside), month))
        row, t = np.concatenate(cells_row), np.concatenate(cells_t)
        unit = self.unit[row]
        depth = self.ancestor_start[unit + 1] - self.ancestor_start[unit]
        at = np.repeat(self.ancestor_start[unit], depth) + (
            np.arange(int(depth.sum())) - np.repeat(np.cumsum(depth) - depth, depth)
        )
        node = np.concatenate([self.ancestors[at], n + unit, np.full(len(row), 2 * n)])
        expanded = np.concatenate([np.repeat(row, depth), row, row])
        cell = (node * width + self.b[expanded]) * (QUARTER + 1) + np.concatenate(
            [np.repeat(t, depth), t, t]
        )
        people = int(self.person.max(initial=0)) + 1
        keys = np.sort(cell * people + self.person[expanded])  # sort: faster than np.unique's hash
        distinct = keys[np.append(True, keys[1:] != keys[:-1])] // people
        size = (2 * n + 1) * width * (QUARTER + 1)
        return np.bincount(distinct, minlength=size).reshape(2 * n + 1, width, QUARTER + 1)


def _equations(parents: np.ndarray, widths: list[int]) -> Equations:
    """The relations of one quarter's block of ``(2n + 1) × categories × 4`` cells."""
    n = len(parents)
    categories = sum(widths)
    nodes = 2 * n + 1

    def cell(node: np.ndarray, category: np.ndarray, t: np.ndarray) -> np.ndarray:
        flat: np.ndarray = (node * categories + category) * (QUARTER + 1) + t
        return flat

    parts: list[Equations] = []
    # unit u with its subtree = own + children; the organisation = the top units
    totals = np.concatenate([np.arange(n), [2 * n]])
    members = [np.concatenate([[n + u], np.flatnonzero(parents == u)]) for u in range(n)]
    members.append(np.flatnonzero(parents < 0))
    rel_of = np.repeat(np.arange(n + 1), [1 + len(m) for m in members])
    node_of = np.concatenate(
        [np.concatenate([[t], m]) for t, m in zip(totals, members, strict=True)]
    )
    sign_of = np.concatenate([np.concatenate([[-1.0], np.ones(len(m))]) for m in members])
    grid = np.arange(categories * (QUARTER + 1))
    category, t = grid // (QUARTER + 1), grid % (QUARTER + 1)
    parts.append(
        Equations(
            (rel_of[:, None] * len(grid) + grid[None, :]).ravel(),
            cell(node_of[:, None], category[None, :], t[None, :]).ravel(),
            np.repeat(sign_of, len(grid)),
            (n + 1) * len(grid),
        )
    )
    # all persons = the sum of each breakdown's values
    offset = widths[0]
    for width in widths[1:]:
        node, t = np.divmod(np.arange(nodes * (QUARTER + 1)), QUARTER + 1)
        cats = np.concatenate([[0], offset + np.arange(width)])
        signs = np.concatenate([[-1.0], np.ones(width)])
        parts.append(
            Equations(
                np.repeat(np.arange(len(node)), len(cats)),
                cell(node[:, None], cats[None, :], t[:, None]).ravel(),
                np.tile(signs, len(node)),
                len(node),
            )
        )
        offset += width
    # the quarter = its three months
    node, category = np.divmod(np.arange(nodes * categories), categories)
    parts.append(
        Equations(
            np.repeat(np.arange(len(node)), QUARTER + 1),
            cell(node[:, None], category[:, None], np.arange(QUARTER + 1)[None, :]).ravel(),
            np.tile(np.array([1.0, 1.0, 1.0, -1.0]), len(node)),
            len(node),
        )
    )
    return Equations.concat(parts)


def pattern_for(tables: dict[str, pa.Table], start: dt.date, end: dt.date) -> Pattern:
    """The suppression pattern of every quarter covering start..end, every breakdown the input has."""
    first, last = covering_range("quarter", start, end)
    unit_ids = pc.unique(tables["units"]["unit_id"])
    unit_ids = unit_ids.take(pc.sort_indices(unit_ids))
    parents = unit_parents(tables["units"], unit_ids)
    n = len(unit_ids)
    rows = [_Rows.of(tables, breakdown, first, last) for breakdown in _breakdowns(tables)]
    categories, offset = {}, 0
    for breakdown, part in zip(_breakdowns(tables), rows, strict=True):
        categories[breakdown] = {str(label): offset + i for i, label in enumerate(part.labels)}
        offset += len(part.labels)
    equations = _equations(parents, [len(part.labels) for part in rows])
    quarters = len(build_periods("quarter", first, last))
    hidden = np.zeros((quarters, 2 * n + 1, offset, QUARTER + 1), dtype=bool)
    for quarter in range(quarters):
        block = np.concatenate([part.headcounts(quarter, n) for part in rows], axis=1)
        hidden[quarter] = suppress(block.ravel(), equations).reshape(block.shape)
    return Pattern(
        first.year * 12 + first.month - 1,
        unit_ids.to_numpy(zero_copy_only=False),
        categories,
        hidden,
    )
