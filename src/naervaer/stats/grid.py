"""The engine's sparse sums → dense group × period arrays (numpy), and four-quarter windows.

The queries return only the cells where an interval starts or ends; a measure's value in a
period is its parts there plus the running sum of its deltas times the period's full length, so
the running sum needs every period of every group. Groups × periods is small next to the input
(at most the size of the output), so this is done here, the same for every backend, with one
``bincount`` and one ``cumsum`` per measure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.lib.stride_tricks import sliding_window_view

from naervaer.stats.indicators import MEASURES, lost_conditions

RESIDUE = 1e-9
COUNTS = tuple(m for m, axis in MEASURES.items() if axis != "workdays")


@dataclass
class Grid:
    """Measures as (groups × periods) arrays; ``groups`` holds the key columns, sorted."""

    groups: pd.DataFrame
    values: dict[str, np.ndarray]

    @property
    def shape(self) -> tuple[int, int]:
        return next(iter(self.values.values())).shape


def _group_index(groups: pd.DataFrame, keys: list[str]) -> pd.Index:
    return pd.MultiIndex.from_frame(groups[keys]) if len(keys) > 1 else pd.Index(groups[keys[0]])


def _split_lost(flat: np.ndarray, code: np.ndarray, columns: dict[str, np.ndarray], size: int
                ) -> Iterator[tuple[str, str, np.ndarray]]:
    """Lost-workday sums per cell, split into the lost measures: the rows sorted once by category
    code (a radix sort of small integers), one ``bincount`` per code present and column, each
    added to the measures whose condition (``indicators.lost_conditions``) the code meets."""
    order = np.argsort(code, kind="stable")
    code, flat = code[order], flat[order]
    bounds = np.flatnonzero(np.diff(code)) + 1
    slices = list(zip([0, *bounds], [*bounds, len(code)]))
    for kind, weights in columns.items():
        weights = weights[order]
        out = {measure: np.zeros(size) for measure in lost_conditions(np.int64(0))}
        for first, last in slices:
            sums = np.bincount(flat[first:last], weights=weights[first:last], minlength=size)
            for measure, condition in lost_conditions(code[first]).items():
                if condition is None or condition:
                    out[measure] += sums
        yield from ((measure, kind, sums) for measure, sums in out.items())


def _numbers(table: pa.Table, column: str, dtype: type) -> np.ndarray:
    return table[column].to_numpy().astype(dtype, copy=False)


def _sums(table: pa.Table, flat: np.ndarray, size: int) -> Iterator[tuple[str, str, np.ndarray]]:
    """(measure, part/delta, per-cell sums) of each sum column; a family summed per category
    ``code`` has its lost-workday columns split into the lost measures."""
    lost = {}
    for column in (c for c in table.column_names if "__" in c):
        measure, kind = column.split("__")
        if measure == "lost":
            lost[kind] = _numbers(table, column, np.float64)
        else:
            yield measure, kind, np.bincount(flat, weights=_numbers(table, column, np.float64), minlength=size)
    if lost:
        yield from _split_lost(flat, _numbers(table, "code", np.int8), lost, size)


def dense(frames: list[pa.Table | None], keys: list[str], periods: int, full: Mapping[str, np.ndarray],
          unit_ids: pa.Array) -> Grid:
    """Add up the families' ``<measure>__part``/``__delta`` columns into dense measures (emptying
    ``frames`` on the way). Unit keys arrive as codes into the sorted ``unit_ids``: by unit alone,
    the code is the group's row; the groups come back with the units' real ids.

    ``full`` holds each axis's whole-period length per period ("workdays", "days"); counts add 1.
    """
    units = unit_ids.to_pandas()
    key_frames = [None] * len(frames)
    if keys == ["unit_id"]:
        groups = pd.DataFrame({"unit_id": np.arange(len(units))})
    elif keys:
        key_frames = [frame.select(keys).to_pandas() for frame in frames]
        groups = pd.concat(key_frames, ignore_index=True).drop_duplicates().sort_values(keys, ignore_index=True)
        index = _group_index(groups, keys)
    else:
        groups = pd.DataFrame(index=range(1))
    size = len(groups) * periods
    values: dict[str, np.ndarray] = {}
    for number in range(len(frames)):
        frame = frames[number]
        frames[number] = None   # dropped as soon as it is summed (the lost family is large)
        if keys == ["unit_id"]:
            rows = _numbers(frame, "unit_id", np.int64)
        elif keys:
            rows = index.get_indexer(_group_index(key_frames[number], keys))
        else:
            rows = np.zeros(frame.num_rows, dtype=np.int64)
        flat = rows * periods + _numbers(frame, "pidx", np.int64)
        for measure, kind, summed in _sums(frame, flat, size):
            summed = summed.reshape(len(groups), periods)
            if kind == "delta":
                axis = MEASURES[measure]
                running = np.cumsum(summed, axis=1)
                running[np.abs(running) < RESIDUE] = 0.0   # +w and −w of different rows cancel only up to rounding
                summed = running * (full[axis] if axis in full else 1.0)
            values[measure] = values[measure] + summed if measure in values else summed
    for measure in COUNTS:
        if measure in values:
            values[measure] = np.rint(values[measure]).astype(np.int64)
    values["possible_workdays"] = values["possible_workdays"] / 100
    if "persons_window" not in values:
        values["persons_window"] = values["persons"]
    if "unit_id" in keys:
        groups["unit_id"] = units.take(groups["unit_id"].to_numpy()).to_numpy()
    return Grid(groups, {m: values[m] for m in MEASURES if m in values})


def four_quarters(grid: Grid, window: int) -> tuple[Grid, np.ndarray]:
    """Quarter measures → windows of ``window`` quarters ending in each quarter from the
    ``window``-th on: sums of the additive measures, persons over the whole window, and (returned
    separately, for masking) the largest quarterly headcount."""
    def rolled(values: np.ndarray) -> np.ndarray:
        if values.shape[1] < window:   # fewer quarters than one window: no window at all
            return np.zeros((values.shape[0], 0, window), dtype=values.dtype)
        return sliding_window_view(values, window, axis=1)

    out = {m: rolled(v).sum(axis=-1) for m, v in grid.values.items() if m not in ("persons", "persons_window")}
    out["persons"] = out["persons_window"] = grid.values["persons_window"][:, window - 1:]
    return Grid(grid.groups, out), rolled(grid.values["persons"]).max(axis=-1)
