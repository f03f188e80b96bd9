"""Import of unit-level results from another survey, such as KS's 10-FAKTOR run through Bedre
kommune, so they sit beside the organisation's own rounds.

The file is CSV (semicolon or comma, UTF-8) with one row per unit and factor:

    unit;period;factor;score;respondents
    SYKEHJEM;2025;Mestringsorientert ledelse;4,1;23

``unit`` is the unit's external id or exact name, ``score`` lies on the survey's 1–5 scale (decimal
comma or point), ``respondents`` is a whole number. Norwegian headers (enhet, periode, faktor,
skår, svar) are accepted too. Every problem is reported with its line; a file with any problem is
refused whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from naervaer.spreadsheet_text import csv_problem

COLUMNS = ("unit", "period", "factor", "score", "respondents")
ALIASES = {
    "enhet": "unit",
    "periode": "period",
    "faktor": "factor",
    "skår": "score",
    "skar": "score",
    "score": "score",
    "svar": "respondents",
    "antall_svar": "respondents",
}


class ImportFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    unit_id: int
    period: str
    factor: str
    score: Decimal
    respondents: int


def parse_results(text: str, units: Mapping[str, int], filename: str = "file") -> list[Row]:
    """Checked rows; ``units`` maps external ids and exact names to unit ids."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError([f"{filename}: the file is empty"])
    dialect = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            [f"{filename}: line {reader.line_num}: {csv_problem(error)}"]
        ) from None
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in records[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            [f"{filename}: missing column(s) {', '.join(missing)} (needs {';'.join(COLUMNS)})"]
        )
    at = {c: header.index(c) for c in COLUMNS}
    problems: list[str] = []
    rows: list[Row] = []
    seen: set[tuple[int, str, str]] = set()
    for line, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            problems.append(f"line {line}: {len(cells)} cells, the header has {len(header)}")
            continue
        value = {c: cells[at[c]].strip() for c in COLUMNS}
        unit_id = units.get(value["unit"])
        if unit_id is None:
            problems.append(f"line {line}: unknown unit «{value['unit']}»")
        if not value["period"]:
            problems.append(f"line {line}: the period is empty")
        if not value["factor"]:
            problems.append(f"line {line}: the factor is empty")
        try:
            score = Decimal(value["score"].replace(",", "."))
            if not Decimal(1) <= score <= Decimal(5):
                problems.append(f"line {line}: score {value['score']} is outside 1–5")
        except InvalidOperation:
            problems.append(f"line {line}: score «{value['score']}» is not a number")
            score = Decimal(0)
        if not value["respondents"].isdigit():
            problems.append(
                f"line {line}: respondents «{value['respondents']}» is not a whole number"
            )
        key = (unit_id or 0, value["period"], value["factor"])
        if unit_id is not None and key in seen:
            problems.append(
                f"line {line}: «{value['unit']}», {value['period']}, «{value['factor']}» "
                "appears twice"
            )
        seen.add(key)
        if unit_id is not None and not problems:
            rows.append(
                Row(unit_id, value["period"], value["factor"], score, int(value["respondents"]))
            )
    if problems:
        raise ImportFileError([f"{filename}: {p}" for p in problems])
    if not rows:
        raise ImportFileError([f"{filename}: the file has a header but no rows"])
    return rows
