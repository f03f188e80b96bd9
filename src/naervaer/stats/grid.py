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
                ) -> Iterator[tuple[list[str], str, np.ndarray]]:
    """Lost-workday sums per cell and category code, each with the lost measures it counts in
    (``indicators.lost_conditions``): the rows sorted once by code (a radix sort of small integers),
    one ``bincount`` per code present and column. Empties ``columns`` as it goes."""
    order = np.argsort(code, kind="stable")
    code, flat = code[order], flat[order]
    bounds = np.flatnonzero(np.diff(code)) + 1
    slices = list(zip([0, *bounds], [*bounds, len(code)]))
    for kind in list(columns):
        weights = columns.pop(kind)[order]
        for first, last in slices:
            measures = [m for m, condition in lost_conditions(code[first]).items() if condition is None or condition]
            yield measures, kind, np.bincount(flat[first:last], weights=weights[first:last], minlength=size)


def _numbers(column: pa.ChunkedArray, dtype: type) -> np.ndarray:
    return column.to_numpy().astype(dtype, copy=False)


def _sums(frame: pa.Table, flat: np.ndarray, size: int) -> Iterator[tuple[list[str], str, np.ndarray]]:
    """(measures, part/delta, per-cell sums) of each sum column; a family summed per category
    ``code`` gives its lost-workday sums per code, each for the lost measures the code counts in."""
    lost = {}
    for column in (c for c in frame.column_names if "__" in c):
        measure, kind = column.split("__")
        weights = _numbers(frame[column], np.float64)
        if measure == "lost":
            lost[kind] = weights
        else:
            yield [measure], kind, np.bincount(flat, weights=weights, minlength=size)
    if lost:
        code = _numbers(frame["code"], np.int8)
        del frame   # the numpy copies above are all that is needed from here on
        yield from _split_lost(flat, code, lost, size)


def _cells(frame: pa.Table, rows: np.ndarray, periods: int) -> np.ndarray:
    """Flat (group × periods + period) positions of the frame's rows."""
    flat = rows.astype(np.int64)
    flat *= periods
    flat += _numbers(frame["pidx"], np.int64)
    return flat


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
    shape = (len(groups), periods)
    values: dict[str, np.ndarray] = {}
    for number in range(len(frames)):
        frame = frames[number]
        frames[number] = None   # dropped as soon as it is summed (the lost family is large)
        if keys == ["unit_id"]:
            rows = _numbers(frame["unit_id"], np.int64)
        elif keys:
            rows = index.get_indexer(_group_index(key_frames[number], keys))
        else:
            rows = np.zeros(frame.num_rows, dtype=np.int64)
        flat = _cells(frame, rows, periods)
        del rows
        sums = _sums(frame, flat, shape[0] * periods)
        del frame
        for measures, kind, summed in sums:   # a running sum is linear: one per sum, added to each measure
            summed = summed.reshape(shape)
            if kind == "delta":
                axis = MEASURES[measures[0]]
                summed = np.cumsum(summed, axis=1)
                summed[np.abs(summed) < RESIDUE] = 0.0   # +w and −w of different rows cancel only up to rounding
                if axis in full:
                    summed *= full[axis]
            for measure in measures:
                if measure in values:
                    values[measure] += summed
                else:
                    values[measure] = summed.copy() if len(measures) > 1 else summed   # no aliasing between measures
    for measure in lost_conditions(np.int64(0)):   # a category no absence falls in still has its (zero) measure
        values.setdefault(measure, np.zeros(shape))
    for measure in COUNTS:
        if measure in values:
            values[measure] = np.rint(values[measure]).astype(np.int64)
    values["possible_workdays"] /= 100
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
