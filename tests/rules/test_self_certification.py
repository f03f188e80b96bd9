"""Self-certification quotas per rule set (DOMAIN §4)."""

from __future__ import annotations

import pytest

from naervaer.rules import Period, self_certification_breaches

from .conftest import d

EMPLOYED = d("2015-01-01")


def p(first: str, last: str) -> Period:
    return Period(d(first), d(last))


def rules_broken(breaches) -> list[tuple[int, str]]:
    return [(b.index, b.rule) for b in breaches]


def test_standard_allows_three_days_four_times_a_year() -> None:
    certs = [
        p("2018-01-08", "2018-01-10"),
        p("2018-03-05", "2018-03-07"),
        p("2018-05-07", "2018-05-09"),
        p("2018-09-03", "2018-09-05"),
    ]
    assert self_certification_breaches(certs, EMPLOYED, "standard") == []


def test_standard_flags_a_fourth_day_and_a_fifth_time() -> None:
    certs = [
        p("2018-01-08", "2018-01-11"),
        p("2018-03-05", "2018-03-05"),
        p("2018-05-07", "2018-05-07"),
        p("2018-09-03", "2018-09-03"),
        p("2018-12-03", "2018-12-03"),
        p("2019-01-09", "2019-01-09"),
    ]
    breaches = self_certification_breaches(certs, EMPLOYED, "standard")
    # the 5th (3 Dec) is the 5th in 12 months; on 9 Jan 2019 the window starts 9 Jan 2018, so
    # 8 Jan 2018 has left it and the count is back to 5 (Mar, May, Sep, Dec, Jan)
    assert rules_broken(breaches) == [
        (0, "max_days_each_time"),
        (4, "max_times_in_window"),
        (5, "max_times_in_window"),
    ]
    assert "4 days, at most 3" in breaches[0].message


def test_inclusive_workplace_allows_eight_days_but_24_a_year() -> None:
    certs = [
        p("2018-01-08", "2018-01-15"),
        p("2018-03-05", "2018-03-12"),
        p("2018-05-07", "2018-05-14"),
        p("2018-06-04", "2018-06-04"),
        p("2018-07-02", "2018-07-10"),
    ]
    breaches = self_certification_breaches(certs, EMPLOYED, "inclusive")
    assert rules_broken(breaches) == [
        (3, "max_days_in_window"),
        (4, "max_days_each_time"),
        (4, "max_days_in_window"),
    ]
    assert "25 self-certified days" in breaches[0].message


def test_two_months_employment_required() -> None:
    certs = [p("2018-02-28", "2018-02-28"), p("2018-03-01", "2018-03-01")]
    breaches = self_certification_breaches(certs, d("2018-01-01"), "standard")
    assert rules_broken(breaches) == [(0, "min_employment")]
    assert "from 2018-03-01" in breaches[0].message


def test_unknown_rule_set_is_refused() -> None:
    with pytest.raises(
        ValueError, match="unknown self-certification rule set 'ia'; known: inclusive, standard"
    ):
        self_certification_breaches([], EMPLOYED, "ia")
