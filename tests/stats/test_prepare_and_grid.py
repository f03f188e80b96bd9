"""The engine's building blocks: boundary lookups, row order, the touching flags, the dense sums and the grid."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naervaer.stats.accumulate import Placed, Sums
from naervaer.stats.calendar import Calendar, day_number, from_day_number
from naervaer.stats.grid import Grid, four_quarters, roll_up
from naervaer.stats.ordering import sort_order
from naervaer.stats.prepare import Boundaries, _groups, _touching, unit_closure

D = dt.date


def _months(first: dt.date, count: int) -> tuple[np.ndarray, np.ndarray]:
    starts = [
        D(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count + 1)
    ]
    return (
        np.array([day_number(d) for d in starts[:-1]]),
        np.array([day_number(d) - 1 for d in starts[1:]]),
    )


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
    full = np.array(
        [
            calendar.workdays(from_day_number(s), from_day_number(e))
            for s, e in zip(starts, ends, strict=True)
        ]
    )
    got = parts[:-1] + np.cumsum(deltas)[:-1] * full
    want = [
        calendar.workdays(from_day_number(max(first, s)), from_day_number(min(last, e)))
        if max(first, s) <= min(last, e)
        else 0
        for s, e in zip(starts, ends, strict=True)
    ]
    assert list(got) == want


@pytest.mark.parametrize("shuffle", [False, True])
def test_touching_flags_neighbours_whatever_the_row_order(shuffle: bool) -> None:
    employee = [1, 1, 1, 2, 2, 3]
    start = np.array([1, 5, 20, 5, 7, 6], dtype=np.int32)
    end = np.array([4, 9, 25, 6, 8, 9], dtype=np.int32)
    expected = np.array([True, True, False, True, True, False])
    order = (
        np.random.default_rng(7).permutation(len(employee)) if shuffle else np.arange(len(employee))
    )
    got = _touching(
        pa.chunked_array([pa.array(np.array(employee)[order])]), start[order], end[order]
    )
    assert (got == expected[order]).all()
    as_text = _touching(
        pa.chunked_array([pa.array([str(e) for e in np.array(employee)[order]])]),
        start[order],
        end[order],
    )
    assert (as_text == expected[order]).all()
    huge = _touching(
        pa.chunked_array([pa.array(np.array(employee, dtype=np.int64)[order] * 2**58)]),
        start[order],
        end[order],
    )
    assert (
        huge == expected[order]
    ).all()  # ids too sparse for one integer key are numbered densely first


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1),
            st.integers(-40, 170),
            st.integers(0, 150),
            st.sampled_from([1.0, 0.5, 0.2]),
            st.integers(0, 2),
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_sums_add_weighted_intervals_into_every_period_and_block(intervals, direct: bool) -> None:
    """Parts and running deltas (or, ``direct``, the whole periods in between) added in place equal
    Σ weight × workdays(interval ∩ period), per block, row and period — and a block or row nothing
    reached stays exactly zero."""
    calendar = Calendar(D(2023, 11, 1), D(2024, 7, 31))
    starts, ends = _months(D(2024, 1, 1), 5)
    bounds = Boundaries.build(calendar, starts, ends)
    origin = day_number(D(2024, 1, 1))
    rows = np.array([r for r, *_ in intervals])
    first = np.array([origin + a for _, a, *_ in intervals])
    last = first + np.array([n for _, _, n, *_ in intervals])
    weight = np.array([w for *_, w, _ in intervals])
    block = np.array([b for *_, b in intervals])
    sums = Sums(rows=3, periods=len(starts))
    full = np.array(
        [
            calendar.workdays(from_day_number(s), from_day_number(e))
            for s, e in zip(starts, ends, strict=True)
        ],
        dtype=np.float64,
    )
    placed = Placed.of(bounds, rows, first, last, len(starts))
    if direct:
        spread = placed.whole(bounds.workdays, full)
        sums.add(
            "lost", spread.cells + spread.of(block) * sums.size, spread.weighted(weight), blocks=4
        )
    else:
        parts, deltas = placed.running(bounds.workdays)
        sums.add(
            "lost", parts.cells + parts.of(block) * sums.size, parts.weighted(weight), blocks=4
        )
        sums.add_delta(
            "lost", deltas.cells + deltas.of(block) * sums.size, deltas.weighted(weight), blocks=4
        )
    got = sums.total("lost", full, blocks=4)
    want = np.zeros((4, 3, len(starts)))
    for (r, _, _, w, b), begin, finish in zip(intervals, first, last, strict=True):
        for p, (s, e) in enumerate(zip(starts, ends, strict=True)):
            lo, hi = max(begin, s), min(finish, e)
            if lo <= hi:
                want[b, r, p] += w * calendar.workdays(from_day_number(lo), from_day_number(hi))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert (got[3] == 0).all() and (got[:, 2] == 0).all()  # untouched block and row: exact zeros


def test_roll_up_credits_each_group_with_its_subtree() -> None:
    """Units 0 ← 1 ← 2 and 0 ← 3: every unit ends with its own figure plus all below it."""
    parents = np.array([-1, 0, 1, 0])
    groups = _groups(np.array([1, 2, 3]), 1, parents, unit_closure(parents))
    assert list(groups.keys) == [0, 1, 2, 3]  # the top unit becomes a group through roll-up
    values = np.array([[[0.0, 0.0]], [[1.0, 10.0]], [[2.0, 20.0]], [[4.0, 40.0]]]).reshape(1, 4, 2)
    roll_up(values, groups)
    assert values[0, :, 0].tolist() == [7.0, 3.0, 2.0, 4.0] and values[0, :, 1].tolist() == [
        70.0,
        30.0,
        20.0,
        40.0,
    ]


def test_four_quarter_windows_sum_and_keep_the_largest_headcount() -> None:
    grid = Grid(
        {
            "possible_workdays": np.array(
                [[0.0, 10.5, 10.0, 10.0, 0.0], [1.0, 1.0, 1.0, 1.0, 1.0]]
            ),
            "persons": np.array([[0, 1, 1, 1, 0], [6, 2, 2, 2, 2]]),
            "persons_window": np.array([[0, 1, 1, 1, 1], [6, 6, 6, 6, 2]]),
        }
    )
    windows, largest = four_quarters(grid, 4)
    assert windows.shape == (2, 2)
    assert list(windows.values["possible_workdays"][0]) == [30.5, 30.5]
    assert list(largest[0]) == [1, 1] and list(largest[1]) == [6, 2]
    assert list(windows.values["persons"][1]) == [6, 2]  # persons over the whole window, not summed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=40), st.booleans())
def test_sort_order_is_a_stable_sort(values: list[int], huge: bool) -> None:
    """The packed sort (and the argsort it falls back to for keys too large to pack) orders the
    keys with ties in row order; a sorted key needs no order at all."""
    key = np.array(values, dtype=np.int64) + (2**61 if huge else 0)
    order = sort_order(key)
    expected = np.argsort(key, kind="stable")
    if order is None:
        assert (np.diff(key) >= 0).all()
    else:
        assert order.tolist() == expected.tolist()
