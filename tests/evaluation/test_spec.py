"""The intervention spec: valid TOML is read, every broken rule is refused naming its field."""

from __future__ import annotations

import datetime as dt

import pytest

from naervaer.stats.evaluation import InterventionSpec, SpecError

UNITS = {1: "Kommunen", 10: "Sykehjemmet", 11: "Hjemmetjenesten", 12: "Barnehagen"}
VALID = """
name = "Prosjekt"
target_units = ["Sykehjemmet"]
reference_units = [11, 12]
before_start = 2022-01-01
preparation_start = 2022-10-15
active_start = 2023-01-01
active_end = 2023-12-31
after_end = 2024-06-30
indicators = ["absence_percent", "spell_length"]
"""


def _refused(text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        InterventionSpec.from_toml(text, known_units=UNITS)
    return info.value


def test_valid_spec_resolves_names_and_dates() -> None:
    spec = InterventionSpec.from_toml(VALID, known_units=UNITS)
    assert spec.target_units == (10,)
    assert spec.reference_units == (11, 12)
    assert spec.active_start == dt.date(2023, 1, 1)
    assert spec.indicators == ("absence_percent", "spell_length")
    assert spec.post_phases == ("active", "after")


def test_months_fall_into_whole_month_phases() -> None:
    spec = InterventionSpec.from_toml(VALID, known_units=UNITS)
    assert spec.phase_of_month(dt.date(2021, 12, 1)) is None
    assert spec.phase_of_month(dt.date(2022, 9, 1)) == "before"
    assert (
        spec.phase_of_month(dt.date(2022, 10, 1)) == "preparation"
    )  # month holding preparation_start
    assert spec.phase_of_month(dt.date(2023, 12, 1)) == "active"
    assert spec.phase_of_month(dt.date(2024, 1, 1)) == "after"
    assert spec.phase_of_month(dt.date(2024, 7, 1)) is None


def test_spec_file_path_is_read(tmp_path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(VALID, encoding="utf-8")
    assert InterventionSpec.from_toml(path, known_units=UNITS).name == "Prosjekt"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            ('target_units = ["Sykehjemmet"]', "target_units = [99]"),
            "target_units",
            "unknown unit id 99",
        ),
        (
            ("reference_units = [11, 12]", 'reference_units = ["Skolen"]'),
            "reference_units",
            "unknown unit name",
        ),
        (("active_end = 2023-12-31", "active_end = 2022-12-31"), "active_end", "out of order"),
        (('"spell_length"]', '"happiness"]'), "indicators", "unknown indicator 'happiness'"),
        (
            ("reference_units = [11, 12]", "reference_units = [10]"),
            "reference_units",
            "also a target",
        ),
        (('name = "Prosjekt"', 'name = ""'), "name", "non-empty"),
        (("before_start = 2022-01-01", 'before_start = "1. januar"'), "before_start", "YYYY-MM-DD"),
        (("after_end = 2024-06-30", "after_ende = 2024-06-30"), "after_ende", "unknown field"),
    ],
)
def test_broken_rules_name_their_field(change: tuple[str, str], field: str, words: str) -> None:
    error = _refused(VALID.replace(*change))
    assert error.field == field
    assert words in str(error)


def test_malformed_toml_is_refused() -> None:
    error = _refused(VALID.replace("name = ", "name == "))
    assert error.field == "toml"
    assert "malformed TOML" in str(error)


def test_before_period_needs_a_whole_month() -> None:
    error = _refused(VALID.replace("before_start = 2022-01-01", "before_start = 2022-10-03"))
    assert error.field == "before_start"


def test_suggest_excludes_listed_references() -> None:
    error = _refused(
        VALID.replace("reference_units = [11, 12]", 'reference = "suggest"\nreference_units = [11]')
    )
    assert error.field == "reference_units"
    spec = InterventionSpec.from_toml(
        VALID.replace("reference_units = [11, 12]", 'reference = "suggest"'), UNITS
    )
    assert spec.reference == "suggest" and spec.reference_units == ()
