"""Interval sums in numpy: boundary events added in place into dense group × period arrays.

Nothing is expanded into days. An interval of a grid row is placed by its two boundaries (its
first day, and the day after its last; see ``prepare.Boundaries``):
- both in one period: a *part* there of the interval's own length;
- otherwise a part at the start (the rest of its first period) and at the end (the offset of the
  day after the last), and the whole periods in between. An interval that spans many periods
  (an employment) adds those as *deltas* — +1 at the start, −1 at the end — whose running sum over
  the periods, times each period's full length, fills them in; a short one (an absence, rarely
  longer than two periods) adds the periods in between directly and needs no delta array.
A weight (position %, grade %) multiplies every part. ``Sums`` keeps the parts and deltas of each
measure as dense flat arrays (category block × grid row × period) and adds a batch with
``np.add.at``, in place: millions of absences go through batch by batch in a fixed amount of
memory, and a dense grid is as large as the result has to be anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from naervaer.stats.prepare import Boundaries

RESIDUE = 1e-9


@dataclass(frozen=True)
class Spread:
    """What a batch of intervals adds: a value in each of ``cells``, from interval ``interval``."""

    cells: np.ndarray  # int64 flat cell (row × periods + period)
    values: np.ndarray  # float64, before any weight
    interval: np.ndarray  # position of the interval each value comes from

    def of(self, per_interval: np.ndarray) -> np.ndarray:
        """A per-interval quantity (a weight, a category) aligned with the cells."""
        aligned: np.ndarray = per_interval[self.interval]
        return aligned

    def weighted(self, weight: np.ndarray | float) -> np.ndarray:
        return self.values * (self.of(weight) if isinstance(weight, np.ndarray) else weight)


@dataclass(frozen=True)
class Placed:
    """A batch of intervals of grid rows, placed on the periods."""

    start: np.ndarray  # int64 flat cell (row × periods + period) of each interval's first day
    first: np.ndarray  # boundary index of the first day
    after: np.ndarray  # boundary index of the day after the last
    s_p: np.ndarray  # period of the first day
    t_p: np.ndarray  # period of the day after the last (``periods`` past the range)
    spanning: np.ndarray  # positions of the intervals that reach into a later period
    ending: np.ndarray  # positions of those whose day after the last lies inside the range

    @classmethod
    def of(
        cls,
        bounds: Boundaries,
        rows: np.ndarray,
        first_day: np.ndarray,
        last_day: np.ndarray,
        periods: int,
    ) -> Placed:
        first = bounds.index(first_day)
        after = bounds.index(last_day.astype(np.int64) + 1)
        s_p, t_p = bounds.period[first], bounds.period[after]
        spanning = np.flatnonzero(s_p != t_p)
        ending = spanning[t_p[spanning] < periods]
        return cls(rows.astype(np.int64) * periods + s_p, first, after, s_p, t_p, spanning, ending)

    def _ends(self, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each interval's part at its first day (its own length when it ends in the same period,
        else −offset), and the end cells and parts of the ending ones."""
        first = offsets[self.first].astype(np.float64)
        parts = offsets[self.after] - first
        parts[self.spanning] = -first[self.spanning]
        end = self.start[self.ending] + (self.t_p[self.ending] - self.s_p[self.ending])
        return parts, end, offsets[self.after[self.ending]].astype(np.float64)

    def whole(self, offsets: np.ndarray, full: np.ndarray) -> Spread:
        """The parts on one axis with the periods in between added directly (``full``: each
        period's whole length) — for short intervals, which rarely span more than two periods."""
        starting, end, ending = self._ends(offsets)
        starting[self.spanning] += full[self.s_p[self.spanning]]
        counts = (self.t_p[self.spanning] - self.s_p[self.spanning]).astype(np.int64) - 1
        inside = np.repeat(self.spanning, counts)
        step = np.arange(1, len(inside) + 1) - np.repeat(np.cumsum(counts) - counts, counts)
        return Spread(
            np.concatenate([self.start, end, self.start[inside] + step]),
            np.concatenate([starting, ending, full[self.s_p[inside] + step]]),
            np.concatenate([np.arange(len(self.start)), self.ending, inside]),
        )

    def running(self, offsets: np.ndarray) -> tuple[Spread, Spread]:
        """The parts on one axis and the deltas whose running sum fills the periods in between
        (``Sums.total`` multiplies it by each period's whole length) — for long intervals."""
        starting, end, ending = self._ends(offsets)
        parts = Spread(
            np.concatenate([self.start, end]),
            np.concatenate([starting, ending]),
            np.concatenate([np.arange(len(self.start)), self.ending]),
        )
        deltas = Spread(
            np.concatenate([self.start[self.spanning], end]),
            np.concatenate([np.ones(len(self.spanning)), -np.ones(len(end))]),
            np.concatenate([self.spanning, self.ending]),
        )
        return parts, deltas


class Sums:
    """Parts and deltas of measures over ``rows`` × ``periods`` cells, in category blocks of
    ``size`` cells each."""

    def __init__(self, rows: int, periods: int) -> None:
        self.rows, self.periods, self.size = rows, periods, rows * periods
        self.part: dict[str, np.ndarray] = {}
        self.delta: dict[str, np.ndarray] = {}

    @staticmethod
    def _into(
        store: dict[str, np.ndarray],
        measure: str,
        size: int,
        cells: np.ndarray,
        values: np.ndarray | float,
    ) -> None:
        if measure not in store:
            store[measure] = np.zeros(size)
        np.add.at(store[measure], cells, values)

    def add(
        self, measure: str, cells: np.ndarray, values: np.ndarray | float, blocks: int = 1
    ) -> None:
        """Add ``values`` in the flat ``cells`` (block × size + cell) of the measure's parts."""
        self._into(self.part, measure, blocks * self.size, cells, values)

    def add_delta(
        self, measure: str, cells: np.ndarray, values: np.ndarray | float, blocks: int = 1
    ) -> None:
        """Add to the measure's deltas: counts that run on over the later periods."""
        self._into(self.delta, measure, blocks * self.size, cells, values)

    def total(self, measure: str, full: np.ndarray | None, blocks: int = 1) -> np.ndarray:
        """The measure per block × row × period: parts plus the running deltas × ``full`` (each
        period's whole length; None for counts); zeros when nothing was added. Frees its arrays."""
        part = self.part.pop(measure, None)
        delta = self.delta.pop(measure, None)
        if delta is not None:
            delta = delta.reshape(-1, self.periods)
            np.cumsum(delta, axis=1, out=delta)
            delta[np.abs(delta) < RESIDUE] = (
                0.0  # +w and −w of different rows cancel only up to rounding
            )
            if full is not None:
                delta *= full
            part = delta.reshape(-1) if part is None else np.add(part, delta.reshape(-1), out=part)
        if part is None:
            part = np.zeros(blocks * self.size)
        return part.reshape(-1, self.rows, self.periods)
