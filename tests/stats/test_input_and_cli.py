"""Input validation messages and the `naervaer stats` command."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from naervaer.cli import main
from naervaer.stats import InputError, load_input, validate_tables

from .helpers import D, tables

UNITS = [["unit_id", "parent_id", "name"], ["A", "", "Unit A"]]
EMPLOYMENTS = [
    [
        "employment_id",
        "employee_id",
        "unit_id",
        "start_date",
        "end_date",
        "position_percent",
        "occupation",
    ]
] + [[str(i), str(i), "A", "2024-01-01", "", "100", ""] for i in range(1, 7)]
ABSENCES = [
    [
        "absence_id",
        "employee_id",
        "employment_id",
        "start_date",
        "end_date",
        "kind",
        "grade_percent",
    ],
    ["1", "1", "1", "2024-01-02", "2024-01-05", "self_certified", "100"],
    ["2", "2", "", "2024-02-05", "2024-02-09", "doctor_certified", "50"],
]


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    with (folder / f"{name}.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, rows in (("units", UNITS), ("employments", EMPLOYMENTS), ("absences", ABSENCES)):
        _write(tmp_path, name, rows)
    return tmp_path


def test_csv_input_with_empty_columns_is_valid(folder: Path) -> None:
    tables = load_input(folder)
    assert tables["employments"]["end_date"].null_count == 6  # entirely empty column
    assert tables["units"]["parent_id"].null_count == 1


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        (
            "absences",
            2,
            "kind",
            "holiday",
            "absences.csv, row 2, column kind: unknown kind 'holiday'",
        ),
        (
            "absences",
            2,
            "grade_percent",
            "0",
            "absences.csv, row 2, column grade_percent: 0.0 is outside 1–100",
        ),
        (
            "absences",
            1,
            "end_date",
            "2024-01-01",
            "absences.csv, row 1, column end_date: end 2024-01-01 is before",
        ),
        (
            "absences",
            2,
            "start_date",
            "5 Feb",
            "absences.csv, row 2, column start_date: '5 Feb' is not a date",
        ),
        (
            "employments",
            3,
            "position_percent",
            "full",
            "employments.csv, row 3, column position_percent: 'full' is not a number",
        ),
        (
            "employments",
            1,
            "unit_id",
            "Z",
            "employments.csv, row 1, column unit_id: 'Z' is not a unit_id in units.csv",
        ),
    ],
)
def test_bad_values_are_named(folder, table, row, column, value, message) -> None:
    rows = [list(r) for r in {"absences": ABSENCES, "employments": EMPLOYMENTS}[table]]
    rows[row][rows[0].index(column)] = value
    _write(folder, table, rows)
    with pytest.raises(InputError) as error:
        load_input(folder)
    assert str(error.value).startswith(message)


def test_missing_table_and_column(folder: Path) -> None:
    (folder / "units.csv").unlink()
    with pytest.raises(InputError, match="missing table 'units'"):
        load_input(folder)
    _write(folder, "units", [["unit_id", "name"], ["A", "a"]])
    with pytest.raises(InputError, match=r"units\.csv: missing column 'parent_id'"):
        load_input(folder)


def test_overlapping_absences_rejected(folder: Path) -> None:
    _write(
        folder,
        "absences",
        [*ABSENCES, ["3", "1", "", "2024-01-04", "2024-01-08", "doctor_certified", "100"]],
    )
    with pytest.raises(InputError, match="row 3, column start_date: overlaps the absence in row 1"):
        load_input(folder)


def test_cli_writes_unit_month_csv(folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.csv"
    assert main(["stats", "--input", str(folder), "--by", "unit,month", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    required = {
        "unit_id",
        "period",
        "persons",
        "possible_workdays",
        "lost_workdays",
        "lost_self_certified",
        "lost_doctor_certified",
        "absence_percent",
        "masked",
    }
    assert required <= set(rows[0])
    jan = next(r for r in rows if r["period"] == "2024-01")
    # 6 full-time people × 22 workdays (1 Jan is a holiday); 4 self-certified days lost.
    assert (
        jan["persons"] == "6"
        and jan["possible_workdays"] == "132"
        and jan["lost_self_certified"] == "4"
    )
    assert jan["absence_percent"] == "3.0" and jan["masked"] == "False"  # 4 / 132 = 3.03 %
    feb = next(r for r in rows if r["period"] == "2024-02")
    assert (
        feb["lost_doctor_certified"] == "2.5" and feb["absence_percent"] == "2.0"
    )  # 2.5 / 126 = 1.98 %


def test_cli_errors_exit_2_with_one_message(folder: Path, capsys) -> None:
    rows = [list(r) for r in ABSENCES]
    rows[1][rows[0].index("grade_percent")] = "120"
    _write(folder, "absences", rows)
    assert main(["stats", "--input", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "absences.csv, row 1, column grade_percent" in err[0]
    assert main(["stats", "--input", str(folder / "nope")]) == 2


def test_parquet_text_is_read_as_dictionary_and_still_checked(folder: Path) -> None:
    """Parquet text columns come in dictionary-encoded (memory); a bad kind is still named."""
    import pyarrow.parquet as pq

    from naervaer.stats.schema import read_table

    absences = read_table(folder / "absences.csv")
    (folder / "absences.csv").unlink()
    pq.write_table(absences, folder / "absences.parquet")
    assert str(load_input(folder)["absences"]["kind"].type).startswith("dictionary")
    kinds = absences["kind"].to_pylist()
    pq.write_table(
        absences.set_column(
            absences.schema.get_field_index("kind"), "kind", pa.array([kinds[0], "sick"])
        ),
        folder / "absences.parquet",
    )
    with pytest.raises(
        InputError, match=r"absences\.parquet, row 2, column kind: unknown kind 'sick'"
    ):
        load_input(folder)


JOBS = [
    (10, 1, "U", D(2024, 1, 1), None, 50),
    (11, 1, "U", D(2024, 1, 1), None, 50),
]  # two concurrent jobs


@pytest.mark.parametrize(
    ("absences", "message"),
    [
        # employment 10's two absences overlap; an absence from employment 11 lies between them
        (
            [
                (1, 1, 10, D(2024, 1, 1), D(2024, 1, 10)),
                (2, 1, 11, D(2024, 1, 3), D(2024, 1, 5)),
                (3, 1, 10, D(2024, 1, 8), D(2024, 1, 12)),
            ],
            "absences, row 3, column start_date: overlaps the absence in row 1 of the same employment",
        ),
        # an absence without employment overlaps one that is not its neighbour in day order
        (
            [
                (1, 1, 10, D(2024, 1, 1), D(2024, 1, 10)),
                (2, 1, 11, D(2024, 1, 2), D(2024, 1, 2)),
                (3, 1, None, D(2024, 1, 5), D(2024, 1, 6)),
            ],
            "absences, row 3, column start_date: overlaps the absence in row 1 of the same employee",
        ),
    ],
)
def test_overlaps_are_found_whatever_lies_between(absences: list[tuple], message: str) -> None:
    rows = [(*a, "doctor_certified", 100) for a in absences]
    with pytest.raises(InputError, match=message):
        validate_tables(tables(employments=JOBS, absences=rows))
    with pytest.raises(InputError, match="overlaps the absence in row"):  # whatever the row order
        validate_tables(tables(employments=JOBS, absences=rows[::-1]))


def test_absences_of_concurrent_employments_may_overlap() -> None:
    """Sick from one job while still working the other is allowed: different employments."""
    rows = [
        (1, 1, 10, D(2024, 1, 1), D(2024, 1, 10), "doctor_certified", 100),
        (2, 1, 11, D(2024, 1, 5), D(2024, 1, 6), "doctor_certified", 100),
    ]
    assert validate_tables(tables(employments=JOBS, absences=rows))["absences"].num_rows == 2


@pytest.mark.parametrize(
    "flags",
    [["--from", "2024-06-01", "--to", "2024-01-31"], ["--from", "2031-01-01"]],
)
def test_a_range_that_ends_before_it_starts_exits_2(folder: Path, tmp_path: Path, capsys, flags):
    """Once an IndexError: --from after --to (or after the last absence when --to is left out)."""
    out = tmp_path / "out.csv"
    assert main(["stats", "--input", str(folder), "--out", str(out), *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"the range starts on {flags[1]}, after it ends on" in err[0]
    assert not out.exists()


def test_an_empty_occupation_counts_as_unknown_with_dictionary_text(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Parquet gives text as categories; an empty occupation must still fall in 'unknown'."""
    import pyarrow.parquet as pq

    from naervaer.stats.schema import read_table

    employments = read_table(folder / "employments.csv")
    (folder / "employments.csv").unlink()
    pq.write_table(employments, folder / "employments.parquet")
    assert main(["stats", "--input", str(folder), "--breakdown", "occupation"]) == 0
    assert "unknown" in capsys.readouterr().out
