"""Parsing published quarterly reference figures (SSB/NAV tables) from CSV — format in docs/insight.md.

Pure Python so the format can be tested without a database: every problem names the row, the
column and the rule, and nothing is imported when any row is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from naervaer.spreadsheet_text import csv_problem

LEVELS = ("country", "sector", "industry")
REQUIRED_COLUMNS = ("level", "code", "label", "quarter", "absence_percent")
OPTIONAL_COLUMNS = ("source",)
QUARTER = re.compile(r"^(\d{4})-?[QK]([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class ReferenceRow:
    level: str
    code: str
    label: str
    quarter: str  # normalised to the engine's label, YYYYQn
    absence_percent: Decimal
    source: str = ""


class ReferenceFormatError(ValueError):
    """The file does not follow the documented format; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _quarter(value: str) -> str | None:
    match = QUARTER.match(value.strip())
    return f"{match.group(1)}Q{match.group(2)}" if match else None


def _percent(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= 100 else None


def parse_reference_csv(text: str, filename: str = "reference.csv") -> list[ReferenceRow]:
    """Rows of a reference CSV (``;`` or ``,`` separated, decimal comma or point, UTF-8 with or without BOM)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReferenceFormatError(
            [
                f"{filename}: the file is empty; expected a header row with {', '.join(REQUIRED_COLUMNS)}"
            ]
        )
    delimiter = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ReferenceFormatError(
            [
                f"{filename}: missing column(s) {', '.join(missing)} in the header row (found: {', '.join(header)})"
            ]
        )
    reader.fieldnames = header
    rows: list[ReferenceRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    records: list[dict] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        raise ReferenceFormatError(
            [f"{filename}, row {len(records) + 2}: {csv_problem(error)}"]
        ) from None
    for number, raw in enumerate(records, start=2):
        values = {
            key: (raw.get(key) or "").strip() for key in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        }
        where = f"{filename}, row {number}"
        row_problems = []
        level = values["level"].lower()
        if level not in LEVELS:
            row_problems.append(
                f"{where}, column level: {values['level']!r} is not one of {', '.join(LEVELS)}"
            )
        for column in ("code", "label"):
            if not values[column]:
                row_problems.append(f"{where}, column {column}: must not be empty")
        quarter = _quarter(values["quarter"])
        if quarter is None:
            row_problems.append(
                f"{where}, column quarter: {values['quarter']!r} is not a quarter like 2024-Q1"
            )
        percent = _percent(values["absence_percent"])
        if percent is None:
            row_problems.append(
                f"{where}, column absence_percent: {values['absence_percent']!r} is not a percent between 0 and 100"
            )
        if not row_problems:
            key = (level, values["code"], quarter)
            if key in seen:
                row_problems.append(
                    f"{where}: {level} {values['code']} {quarter} repeats row {seen[key]}"
                )
            seen[key] = number
        if row_problems:
            problems += row_problems
            continue
        rows.append(
            ReferenceRow(level, values["code"], values["label"], quarter, percent, values["source"])
        )
    if problems:
        raise ReferenceFormatError(problems)
    if not rows:
        raise ReferenceFormatError([f"{filename}: no data rows under the header"])
    return rows
