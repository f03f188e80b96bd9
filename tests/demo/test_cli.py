"""`naervaer demo generate` to files, and its argument errors (the db path is tested with the loader)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from naervaer.cli import main
from naervaer.demo.synth import DemoConfig, generate, write_tables

TABLES = ("units", "employments", "absences", "persons")


def test_parquet_files_hold_exactly_the_canonical_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "demo",
                "generate",
                "--employees",
                "60",
                "--seed",
                "4",
                "--today",
                "2026-10-31",
                "--years",
                "2",
                "--format",
                "parquet",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    expected = generate(
        DemoConfig(end_date=datetime.date(2026, 10, 31), employees=60, seed=4, years=2, names=False)
    ).canonical()
    for name in TABLES:
        assert pq.read_table(tmp_path / f"{name}.parquet").equals(expected[name]), name
    assert capsys.readouterr().out.split() == [str(tmp_path / f"{name}.parquet") for name in TABLES]


def test_csv_files_have_headers_and_all_rows(tmp_path: Path) -> None:
    assert (
        main(
            [
                "demo",
                "generate",
                "--employees",
                "30",
                "--today",
                "2026-10-31",
                "--format",
                "csv",
                "--out",
                str(tmp_path / "new"),
            ]
        )
        == 0
    )
    absences = pa_csv.read_csv(tmp_path / "new" / "absences.csv")
    expected = generate(
        DemoConfig(end_date=datetime.date(2026, 10, 31), employees=30, names=False)
    ).absences
    assert absences.column_names == [
        "absence_id",
        "employee_id",
        "employment_id",
        "start_date",
        "end_date",
        "kind",
        "grade_percent",
    ]
    assert absences.num_rows == expected.num_rows
    assert absences["start_date"].to_pylist() == expected["start_date"].to_pylist()


def test_end_date_sets_the_history(tmp_path: Path) -> None:
    assert (
        main(
            [
                "demo",
                "generate",
                "--employees",
                "30",
                "--years",
                "1",
                "--end-date",
                "2024-06-30",
                "--format",
                "parquet",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    absences = pq.read_table(tmp_path / "absences.parquet")
    assert str(min(absences["start_date"].to_pylist())) >= "2023-07-01"
    assert str(max(absences["start_date"].to_pylist())) <= "2024-06-30"
    # Sick notes running on the last day go on after it, for at most four weeks.
    assert "2024-06-30" < str(max(absences["end_date"].to_pylist())) <= "2024-07-28"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--employees", "9", "--format", "csv", "--out", "x"],
            "--employees: must be at least 10, got 9",
        ),
        (
            ["--employees", "many", "--format", "csv", "--out", "x"],
            "--employees: expected a whole number, got 'many'",
        ),
        (["--format", "xlsx", "--out", "x"], "--format: invalid choice: 'xlsx'"),
        (["--format", "parquet"], "--out DIR is required with --format parquet"),
        (["--out", "x"], "--out only applies to --format parquet or csv"),
        (
            ["--end-date", "31.10.2026", "--format", "csv", "--out", "x"],
            "expected a date as YYYY-MM-DD, got '31.10.2026'",
        ),
    ],
)
def test_bad_arguments_exit_with_a_message_naming_the_argument(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "generate", *argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_write_tables_rejects_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format: expected one of parquet, csv, got 'json'"):
        write_tables({}, tmp_path, "json")  # type: ignore[arg-type]
