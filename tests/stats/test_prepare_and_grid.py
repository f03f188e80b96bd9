"""The engine's building blocks: boundary lookups, the touching flags and the dense grid."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naervaer.stats.calendar import Calendar, day_number, from_day_number
from naervaer.stats.grid import dense, four_quarters
from naervaer.stats.prepare import Boundaries, _touching

D = dt.date


def _months(first: dt.date, count: int) -> tuple[np.ndarray, np.ndarray]:
    starts = [D(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count + 1)]
    return (np.array([day_number(d) for d in starts[:-1]]), np.array([day_number(d) - 1 for d in starts[1:]]))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 140), st.integers(0, 140))
def test_boundaries_give_the_workdays_of_any_interval_in_every_period(a: int, b: int) -> None:
    """parts + running deltas × whole periods = workdays of [s, e] ∩ period, for every period."""
    calendar = Calendar(D(2023, 12, 1), D(2024, 6, 30))
    starts, ends = _months(D(2024, 1, 1), 4)
    bounds = Boundaries.build(calendar, starts, ends)
    first = day_number(D(2023, 12, 20)) + min(a, b)
    last = day_number(D(2023, 12, 20)) + max(a, b)
    (s_p,), (s_w,), _ = bounds.at(np.array([first]))
    (t_p,), (t_w,), _ = bounds.at(np.array([last + 1]))
    parts, deltas = np.zeros(len(starts) + 1), np.zeros(len(starts) + 1)
    if s_p == t_p:
        parts[s_p] += t_w - s_w
    else:
        parts[s_p] -= s_w
        deltas[s_p] += 1
        parts[t_p] += t_w
        deltas[t_p] -= 1
    full = np.array([calendar.workdays(from_day_number(s), from_day_number(e)) for s, e in zip(starts, ends)])
    got = parts[:-1] + np.cumsum(deltas)[:-1] * full
    want = [calendar.workdays(from_day_number(max(first, s)), from_day_number(min(last, e)))
            if max(first, s) <= min(last, e) else 0 for s, e in zip(starts, ends)]
    assert list(got) == want


@pytest.mark.parametrize("shuffle", [False, True])
def test_touching_flags_neighbours_whatever_the_row_order(shuffle: bool) -> None:
    employee = [1, 1, 1, 2, 2, 3]
    start = np.array([1, 5, 20, 5, 7, 6], dtype=np.int32)
    end = np.array([4, 9, 25, 6, 8, 9], dtype=np.int32)
    expected = np.array([True, True, False, True, True, False])
    order = np.random.default_rng(7).permutation(len(employee)) if shuffle else np.arange(len(employee))
    got = _touching(pa.chunked_array([pa.array(np.array(employee)[order])]), start[order], end[order])
    assert (got == expected[order]).all()
    as_text = _touching(pa.chunked_array([pa.array([str(e) for e in np.array(employee)[order]])]), start[order], end[order])
    assert (as_text == expected[order]).all()
    huge = _touching(pa.chunked_array([pa.array(np.array(employee, dtype=np.int64)[order] * 2**58)]), start[order], end[order])
    assert (huge == expected[order]).all()   # ids too sparse for one integer key are numbered densely first


def test_dense_grid_runs_deltas_and_four_quarter_windows() -> None:
    family = pa.table({"unit_id": [1, 0, 0], "pidx": [0, 1, 4],   # unit codes: positions in the sorted ids
                       "possible_workdays__part": [100.0, 50.0, 0.0], "possible_workdays__delta": [0.0, 100.0, -100.0],
                       "persons__delta": [1.0, 1.0, -1.0]})
    grid = dense([family], ["unit_id"], 5, {"workdays": np.full(5, 10.0), "days": np.full(5, 30.0)}, pa.array(["a", "b"]))
    assert list(grid.groups["unit_id"]) == ["a", "b"]                       # the codes' real ids, in order
    assert list(grid.values["possible_workdays"][0]) == [0.0, 10.5, 10.0, 10.0, 0.0]   # (part + running delta × 10) / 100
    assert list(grid.values["persons"][0]) == [0, 1, 1, 1, 0] and grid.values["persons"].dtype == np.int64
    windows, largest = four_quarters(grid, 4)
    assert windows.values["possible_workdays"].shape == (2, 2)
    assert list(windows.values["possible_workdays"][0]) == [30.5, 30.5] and list(largest[0]) == [1, 1]
