"""Dense sums → measures as (groups × periods) arrays, the unit-tree roll-up and four-quarter windows.

Every measure but persons adds up: a unit's figure with its subtree is its own plus its children's,
so the roll-up adds each group into the group one unit up, deepest units first, in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from naervaer.stats.accumulate import Sums
from naervaer.stats.indicators import LOST_BLOCKS, LOST_MEASURES, MEASURES, WHOLE_NUMBERS
from naervaer.stats.prepare import Groups


@dataclass
class Grid:
    """Measures as (groups × periods) arrays, rows in the order of ``Groups.keys``."""

    values: dict[str, np.ndarray]

    @property
    def shape(self) -> tuple[int, int]:
        return next(iter(self.values.values())).shape


def roll_up(blocks: np.ndarray, groups: Groups) -> None:
    """Credit every group with its subtree: (blocks ×) groups × periods, in place."""
    for rows in groups.levels:
        for block in blocks.reshape(-1, *blocks.shape[-2:]):
            np.add.at(block, groups.parent[rows], block[rows])


def dense(sums: Sums, groups: Groups, full: Mapping[str, np.ndarray], rollup: bool) -> Grid:
    """The measures from the families' sums (emptying ``sums``). ``full`` holds each axis's
    whole-period length per period ("workdays", "days"); persons come rolled up already."""
    totals: dict[str, np.ndarray] = {}
    for measure in ("possible_workdays", "employment_days", *LOST_BLOCKS, "spells", "spell_days"):
        totals[measure] = sums.total(
            measure, full.get(MEASURES.get(measure, "workdays")), LOST_BLOCKS.get(measure, 1)
        )
        if rollup:
            roll_up(totals[measure], groups)
    for measure in ("persons", "persons_window"):
        if measure in sums.delta:
            totals[measure] = sums.total(measure, None)
    values: dict[str, np.ndarray] = {}
    for measure in MEASURES:
        if measure in LOST_MEASURES:
            block, rows = LOST_MEASURES[measure]
            parts = totals[block]
            value = (
                parts[rows[0]] if len(rows) == 1 else parts[rows[0]] + parts[rows[1]]
            )  # one new array at most
            for row in rows[2:]:
                value += parts[row]
            values[measure] = value
        elif measure in totals:
            values[measure] = totals.pop(measure)[0]
    values["possible_workdays"] /= 100
    for measure in WHOLE_NUMBERS:
        if measure in values:
            values[measure] = np.rint(values[measure], out=values[measure]).astype(np.int64)
    values.setdefault("persons_window", values["persons"])
    return Grid(values)


def four_quarters(grid: Grid, window: int) -> tuple[Grid, np.ndarray]:
    """Quarter measures → windows of ``window`` quarters ending in each quarter from the
    ``window``-th on: sums of the additive measures, persons over the whole window, and (returned
    separately, for masking) the largest quarterly headcount."""

    def rolled(values: np.ndarray) -> np.ndarray:
        if values.shape[1] < window:  # fewer quarters than one window: no window at all
            return np.zeros((values.shape[0], 0, window), dtype=values.dtype)
        return sliding_window_view(values, window, axis=1)

    out = {
        m: rolled(v).sum(axis=-1)
        for m, v in grid.values.items()
        if m not in ("persons", "persons_window")
    }
    out["persons"] = out["persons_window"] = grid.values["persons_window"][:, window - 1 :]
    return Grid(out), rolled(grid.values["persons"]).max(axis=-1)
