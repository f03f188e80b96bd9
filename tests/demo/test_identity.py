"""Vectorised fødselsnummer and organisation numbers, checked against python-stdnum."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer as fnr
from stdnum.no import orgnr

from naervaer.demo.identity import (
    _K1_WEIGHTS,
    _K2_WEIGHTS,
    _control_digit,
    fodselsnummer,
    organisation_number,
)


def _format(numbers: np.ndarray) -> list[str]:
    return [f"{n:011d}" for n in numbers]


@settings(max_examples=60, deadline=None)
@given(
    # stdnum rejects birth dates after today, so the 2000s range is only tested up to 2025.
    births=st.lists(
        st.dates(datetime.date(1900, 1, 1), datetime.date(2025, 12, 31)), min_size=1, max_size=40
    ),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_numbers_are_valid_and_encode_birth_date_and_sex(
    births: list[datetime.date], seed: int, data: st.DataObject
) -> None:
    female = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(births), max_size=len(births)))
    )
    numbers = _format(
        fodselsnummer(np.random.default_rng(seed), np.array(births, dtype="datetime64[D]"), female)
    )
    assert len(set(numbers)) == len(numbers)
    for number, birth, is_female in zip(numbers, births, female, strict=True):
        assert fnr.is_valid(number), number
        assert fnr.get_birth_date(number) == birth
        assert fnr.get_gender(number) == ("F" if is_female else "M")


def test_many_people_born_the_same_day_still_get_distinct_numbers() -> None:
    # 120 women born on one day: the 1900s range has 250 even individual numbers, about 60 % valid.
    births = np.full(120, np.datetime64("1980-05-17"))
    numbers = fodselsnummer(np.random.default_rng(1), births, np.ones(120, dtype=bool))
    assert len(set(numbers.tolist())) == 120
    assert all(fnr.is_valid(n) for n in _format(numbers))


def test_control_digits_match_a_hand_computed_number() -> None:
    # 010190 125: K1 = 11 − (0·3+1·7+0·6+1·1+9·8+0·9+1·4+2·5+5·2 = 104) mod 11 = 11 − 5 = 6;
    #             K2 = 11 − (0·5+1·4+0·3+1·2+9·7+0·6+1·5+2·4+5·3+6·2 = 109) mod 11 = 11 − 10 = 1.
    # 010190 123: 100 mod 11 = 1, so K1 would be 10 — no such number exists.
    digits = np.array([[0, 1, 0, 1, 9, 0, 1, 2, 5], [0, 1, 0, 1, 9, 0, 1, 2, 3]])
    assert _control_digit(digits, _K1_WEIGHTS).tolist() == [6, 10]
    assert _control_digit(np.array([[0, 1, 0, 1, 9, 0, 1, 2, 5, 6]]), _K2_WEIGHTS).tolist() == [1]
    assert fnr.is_valid("01019012561")


def test_organisation_numbers_are_valid_and_start_with_nine() -> None:
    for seed in range(25):
        number = organisation_number(np.random.default_rng(seed))
        assert len(number) == 9 and number[0] == "9" and orgnr.is_valid(number), number


def test_birth_dates_outside_the_supported_centuries_are_rejected() -> None:
    with pytest.raises(ValueError, match="1900–2039"):
        fodselsnummer(
            np.random.default_rng(0),
            np.array(["1899-12-31"], dtype="datetime64[D]"),
            np.array([True]),
        )
