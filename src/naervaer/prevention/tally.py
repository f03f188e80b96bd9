"""Counting a round's answers per unit and rolling them up the unit tree, in numpy.

Everything a result page shows is additive — respondents, invitations and, per item, how many
answered each step of the scale — so the counts of a unit's subtree are the sums of its units'
own counts. One pass over the responses fills ``counts[unit, item, step]``; the roll-up adds each
unit into its parent, deepest first. Plain data in and out: no Django here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Tally:
    """Subtree counts for every unit of a round's tree (row ``i`` is unit ``unit_ids[i]``)."""

    unit_ids: list[int]
    parent_index: np.ndarray  # index of the parent row, -1 for the root(s)
    respondents: np.ndarray  # [unit]
    invited: np.ndarray  # [unit]
    counts: np.ndarray  # [unit, item, step]: answers on each step of the scale
    own_respondents: np.ndarray  # [unit]: respondents registered on the unit itself
    band_counts: dict[str, np.ndarray]  # "band=option" → [unit, item, step]
    band_respondents: dict[str, np.ndarray]  # "band=option" → [unit]

    def row(self, unit_id: int) -> int:
        return self._rows[unit_id]

    def has(self, unit_id: int) -> bool:
        """Whether the unit was part of the round's tree (a unit made later was not)."""
        return unit_id in self._rows

    def __post_init__(self) -> None:
        self._rows = {unit_id: i for i, unit_id in enumerate(self.unit_ids)}


def _depth_order(parent_index: np.ndarray) -> list[int]:
    depth = np.zeros(len(parent_index), dtype=np.int64)
    for i in range(len(parent_index)):
        j, d = parent_index[i], 0
        while j >= 0:
            d, j = d + 1, parent_index[j]
        depth[i] = d
    return list(np.argsort(-depth, kind="stable"))


def _roll_up(values: np.ndarray, parent_index: np.ndarray, order: Sequence[int]) -> np.ndarray:
    total = values.copy()
    for i in order:
        if parent_index[i] >= 0:
            total[parent_index[i]] += total[i]
    return total


def tally(
    parents: Mapping[int, int | None],
    answers: Iterable[tuple[int, Sequence[int | None], Mapping[str, str]]],
    invited: Mapping[int, int],
    scale: tuple[int, int],
    reverse: Sequence[bool],
) -> Tally:
    """``parents``: unit id → parent id (units outside the mapping count as roots);
    ``answers``: (unit id, values in item order, bands) per response; ``invited``: unit → count;
    ``reverse``: per item, whether its scale runs the other way (stored values stay as answered)."""
    unit_ids = list(parents)
    rows = {unit_id: i for i, unit_id in enumerate(unit_ids)}
    parent_index = np.array([rows.get(parents[u], -1) for u in unit_ids], dtype=np.int64)
    low, high = scale
    steps = high - low + 1
    n_items = len(reverse)
    unit_of, value_rows, bands_of = [], [], []
    for unit_id, values, bands in answers:
        unit_of.append(rows[unit_id])
        value_rows.append([np.nan if v is None else v for v in values])
        bands_of.append(bands)
    units = np.array(unit_of, dtype=np.int64)
    matrix = np.array(value_rows, dtype=np.float64).reshape(len(unit_of), n_items)
    flip = np.asarray(reverse, dtype=bool)
    matrix[:, flip] = low + high - matrix[:, flip]
    order = _depth_order(parent_index)

    def count(selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grid = np.zeros((len(unit_ids), n_items, steps), dtype=np.int64)
        sub = matrix[selected]
        answered = ~np.isnan(sub)
        r, c = np.nonzero(answered)
        np.add.at(grid, (units[selected][r], c, sub[r, c].astype(np.int64) - low), 1)
        people = np.bincount(units[selected], minlength=len(unit_ids)).astype(np.int64)
        return grid, people

    everyone = np.ones(len(unit_of), dtype=bool)
    own_counts, own_people = count(everyone)
    band_counts: dict[str, np.ndarray] = {}
    band_people: dict[str, np.ndarray] = {}
    for label in sorted({f"{k}={v}" for bands in bands_of for k, v in bands.items()}):
        key, _sep, option = label.partition("=")
        selected = np.array([b.get(key) == option for b in bands_of], dtype=bool)
        grid, people = count(selected)
        band_counts[label] = _roll_up(grid, parent_index, order)
        band_people[label] = _roll_up(people, parent_index, order)
    invited_own = np.array([invited.get(u, 0) for u in unit_ids], dtype=np.int64)
    return Tally(
        unit_ids=unit_ids,
        parent_index=parent_index,
        respondents=_roll_up(own_people, parent_index, order),
        invited=_roll_up(invited_own, parent_index, order),
        counts=_roll_up(own_counts, parent_index, order),
        own_respondents=own_people,
        band_counts=band_counts,
        band_respondents=band_people,
    )


def factor_scores(
    counts: np.ndarray, factor_items: Sequence[Sequence[int]], scale: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit and factor: the mean answer (NaN without answers) and the share of answers that
    are low (bottom two steps), middle and high (top two steps) as [unit, factor, 3]."""
    low, high = scale
    steps = np.arange(low, high + 1, dtype=np.float64)
    n_units = counts.shape[0]
    means = np.full((n_units, len(factor_items)), np.nan)
    shares = np.full((n_units, len(factor_items), 3), np.nan)
    split = (high - low + 1) // 2  # the lower and upper halves; an odd scale's middle step alone
    for f, items in enumerate(factor_items):
        per_step = counts[:, list(items), :].sum(axis=1)  # [unit, step]
        total = per_step.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means[:, f] = (per_step * steps).sum(axis=1) / total
            shares[:, f, 0] = per_step[:, :split].sum(axis=1) / total
            shares[:, f, 2] = per_step[:, -split:].sum(axis=1) / total
            shares[:, f, 1] = 1 - shares[:, f, 0] - shares[:, f, 2]
    return means, shares
