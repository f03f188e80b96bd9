"""Shared helpers for the rules tests: compact timelines written as (from, to, kind[, grade])."""

from __future__ import annotations

from datetime import date

import pytest

from naervaer.rules import Timeline, parse_days


def make_timeline(*ranges: tuple) -> Timeline:
    entries = []
    for first, last, kind, *grade in ranges:
        entry = {"from": str(first), "to": str(last), "kind": kind}
        if grade:
            entry["grade"] = grade[0]
        entries.append(entry)
    return parse_days(entries)


@pytest.fixture
def timeline():
    """`timeline(("2018-01-01", "2018-01-26", "sick"), ...)` builds a checked timeline."""
    return make_timeline


def d(text: str) -> date:
    return date.fromisoformat(text)
