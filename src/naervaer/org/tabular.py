"""Reading and writing the register's CSV/XLSX files, and reporting what is wrong with them.

Shared by every import and export (units, employees, absences) so all three behave alike:
UTF-8 CSV (with or without BOM) with ``;`` or ``,`` detected, or the first sheet of an XLSX file;
a header row naming the columns; every problem reported with its line, column and rule; and an
all-or-nothing import (one transaction, rolled back when any row is bad or on a dry run).

Files over the size or row limit (``NAERVAER_IMPORT_MAX_BYTES``, ``NAERVAER_IMPORT_MAX_ROWS``) are
refused before anything is read into the database. Rows equal to what is stored are left alone
(no validation, no write), so re-importing an unchanged file is fast, writes nothing and never
holds the database's write lock.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from naervaer.audit import services as audit
from naervaer.spreadsheet_text import inert_row, restore, xlsx_row


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False


@dataclass(frozen=True)
class RowProblem:
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [_("line %(line)s") % {"line": self.line}] if self.line is not None else []
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefused(Exception):
    """The file was not imported; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        self.source, self.problems = source, list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        head = _("%(file)s was not imported (nothing was written): %(count)s problem(s).") % {
            "file": self.source,
            "count": len(self.problems),
        }
        lines = [head, *(f"  {p}" for p in self.problems[:PROBLEMS_SHOWN])]
        if len(self.problems) > PROBLEMS_SHOWN:
            lines.append(
                "  "
                + _("… and %(count)s more problem(s).")
                % {"count": len(self.problems) - PROBLEMS_SHOWN}
            )
        return "\n".join(lines)


Outcome = Literal["created", "updated", "unchanged"]
# Most keys looked up with ``__in``: well below SQLite's limit of host parameters (250,000 on
# Debian, 32,766 by default) and PostgreSQL's 65,535; more are found by reading the table once.
LOOKUP_BATCH = 10_000
# Problems listed in a refusal; the count says how many more there were.
PROBLEMS_SHOWN = 200


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class Row:
    """One data row: its line in the file (header = line 1) and its cells by column name."""

    line: int
    cells: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, column: str | None, message: str) -> None:
        """Note a problem once, however often the cell is read (2021-02-30 was reported twice)."""
        found = RowProblem(self.line, column, message)
        if found not in self.problems:
            self.problems.append(found)

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if not value:
            self.problem(column, _("A value is required."))
            return None
        return value

    def date(self, column: str, required: bool = True) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return self.required(column) if required else None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.problem(
                column, _("%(value)s is not a date; write dates as YYYY-MM-DD.") % {"value": value}
            )
            return None

    def decimal(self, column: str, required: bool = True) -> Decimal | None:
        value = self.text(column).replace(",", ".")
        if not value:
            return self.required(column) if required else None
        try:
            return Decimal(value)
        except InvalidOperation:
            self.problem(column, _("%(value)s is not a number.") % {"value": self.text(column)})
            return None

    def integer(self, column: str) -> int | None:
        number = self.decimal(column, required=False)
        if number is not None and number != number.to_integral_value():
            self.problem(column, _("%(value)s is not a whole number.") % {"value": number})
            return None
        return None if number is None else int(number)

    def choice(self, column: str, choices: Iterable[str], required: bool = True) -> str | None:
        value = self.text(column)
        if not value and not required:
            return None
        allowed = list(choices)
        if value not in allowed:
            self.problem(
                column,
                _("%(value)s is not one of: %(allowed)s.")
                % {"value": value or _("(empty)"), "allowed": ", ".join(allowed)},
            )
            return None
        return value

    def validation_error(self, error: ValidationError, column_of: dict[str, str]) -> None:
        """Report a model's ValidationError against the file's column names."""
        for field_name, messages in error.message_dict.items():
            for message in messages:
                self.problem(column_of.get(field_name), message)


def where_in(
    queryset: models.QuerySet, field: str, values: Iterable[Any]
) -> Iterator[models.Model]:
    """``queryset.filter(field__in=values)`` for any number of values: a few values in one query,
    many by reading the queryset once (no parameter limit, and faster than long ``IN`` lists)."""
    wanted = set(values)
    if len(wanted) > LOOKUP_BATCH:
        yield from (obj for obj in queryset.iterator(2000) if getattr(obj, field) in wanted)
    else:
        yield from queryset.filter(**{f"{field}__in": list(wanted)})


def same_as_stored(instance: models.Model, values: dict) -> bool:
    """Whether a stored record already holds these values (foreign keys compared by id, no query)."""
    if instance.pk is None:
        return False
    for name, value in values.items():
        field = instance._meta.get_field(name)
        wanted = (value.pk if value is not None else None) if field.is_relation else value
        if getattr(instance, field.attname) != wanted:
            return False
    return True


def upsert(
    row: Row, instance: models.Model, values: dict, column_of: dict[str, str | None]
) -> Outcome | None:
    """Set values, validate and save; report problems on the row instead (and return None).

    A record that already holds the values is neither validated nor saved: it was valid when it
    was stored, and an unchanged re-import must write nothing."""
    if same_as_stored(instance, values):
        return "unchanged"
    created = instance.pk is None
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        row.validation_error(error, column_of)
        return None
    instance.save()
    return "created" if created else "updated"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            source,
            [
                RowProblem(
                    line,
                    None,
                    _(
                        "The file is not UTF-8 encoded (byte 0x%(byte)02x cannot be read as UTF-8; it looks like Windows-1252/Latin-1). "
                        "Save it as CSV UTF-8 and import again."
                    )
                    % {"byte": data[error.start]},
                )
            ],
        ) from None


def _csv_rows(data: bytes, source: str) -> list[tuple[int, list[str]]]:
    text = _decode(data, source)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, [restore(v) for v in values]) for values in reader]
    except csv.Error as error:
        message = (
            _("A cell is longer than %(limit)s characters (is a quotation mark left open?).")
            % {"limit": csv.field_size_limit()}
            if "field limit" in str(error)
            else _("The line is not readable as CSV (%(error)s).") % {"error": error}
        )
        raise ImportRefused(source, [RowProblem(reader.line_num, None, message)]) from None


def _xlsx_rows(path: Path, source: str) -> list[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise ImportRefused(
            source,
            [
                RowProblem(
                    None,
                    None,
                    _("The file is not a readable XLSX workbook (%(error)s).") % {"error": error},
                )
            ],
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _refused(source: str, message: str) -> ImportRefused:
    return ImportRefused(source, [RowProblem(None, None, message)])


def read_table(path: Path, columns: Sequence[Column]) -> list[Row]:
    """The data rows of a CSV or XLSX file, after checking the file and its header as a whole."""
    source = path.name
    if not path.is_file():
        raise _refused(source, _("The file does not exist."))
    size, max_bytes = path.stat().st_size, settings.NAERVAER_IMPORT_MAX_BYTES
    if size > max_bytes:
        raise _refused(
            source,
            _(
                "The file is %(size)s MB; files over %(limit)s MB are not imported "
                "(NAERVAER_IMPORT_MAX_BYTES). Split it into smaller files."
            )
            % {"size": f"{size / 1e6:.1f}", "limit": f"{max_bytes / 1e6:g}"},
        )
    if path.suffix.lower() == ".xlsx":
        raw = _xlsx_rows(path, source)
    else:
        raw = _csv_rows(path.read_bytes(), source)
    raw = [(line, values) for line, values in raw if any(v.strip() for v in values)]
    if not raw:
        raise ImportRefused(
            source,
            [
                RowProblem(
                    None,
                    None,
                    _("The file is empty; it needs a header row and at least one data row."),
                )
            ],
        )
    max_rows = settings.NAERVAER_IMPORT_MAX_ROWS
    if len(raw) - 1 > max_rows:
        raise _refused(
            source,
            _(
                "The file has %(rows)s data rows; at most %(limit)s are imported at a time "
                "(NAERVAER_IMPORT_MAX_ROWS). Split it into smaller files."
            )
            % {"rows": len(raw) - 1, "limit": max_rows},
        )
    header_line, header = raw[0]
    header = [h.strip().lower() for h in header]
    known = {c.name for c in columns}
    problems = [
        RowProblem(
            header_line,
            name,
            _("Unknown column; expected columns are: %(columns)s.")
            % {"columns": ", ".join(c.name for c in columns)},
        )
        for name in header
        if name and name not in known
    ]
    problems += [
        RowProblem(header_line, c.name, _("Required column is missing from the header."))
        for c in columns
        if c.required and c.name not in header
    ]
    if len(raw) == 1:
        problems.append(RowProblem(None, None, _("The file has a header row but no data rows.")))
    if problems:
        raise ImportRefused(source, problems)
    return [
        Row(
            line,
            {name: (values[i] if i < len(values) else "") for i, name in enumerate(header) if name},
        )
        for line, values in raw[1:]
    ]


def run_import(
    path: Path,
    columns: Sequence[Column],
    apply: Callable[[list[Row], ImportResult], None],
    dry_run: bool = False,
) -> ImportResult:
    """Read, then apply every row in one transaction; any row problem (or a dry run) rolls it all back."""
    rows = read_table(path, columns)
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        apply(rows, result)
        problems = [p for row in rows for p in row.problems]
        if problems:
            transaction.set_rollback(True)
            raise ImportRefused(
                path.name, sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit.record(
                None,
                "create",
                "import",
                path.name,
                purpose=f"{result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged",
            )
    return result


def write_table(
    path: Path, columns: Sequence[Column], rows: Iterable[Sequence[Any]], fmt: str | None = None
) -> int:
    """Write rows under a header of column names, as ``;``-separated UTF-8 CSV (with BOM, for Excel) or XLSX."""
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    header = [c.name for c in columns]
    count = 0
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(header)
        for row in rows:
            sheet.append(xlsx_row(sheet, [_cell_text(v) for v in row]))
            count += 1
        workbook.save(path)
        return count
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow(inert_row(_cell_text(v) for v in row))
            count += 1
    return count
