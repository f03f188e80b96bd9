"""Import of units and of employees with their employments (formats in docs/formats.md).

Rows are upserted by their external id (units, employments) or national identity number
(employees), so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _
from stdnum.no import fodselsnummer

from naervaer.org.models import Employee, Employment, Organisation, PositionChange, Unit
from naervaer.org.tabular import Column, ImportResult, Row, run_import, upsert, where_in

UNIT_COLUMNS = [
    Column("external_id", True),
    Column("parent_external_id"),
    Column("name", True),
    Column("level", True),
    Column("sector_code"),
    Column("valid_from", True),
    Column("valid_to"),
]
UNIT_FIELD_COLUMNS = {
    "parent": "parent_external_id",
    "name": "name",
    "level": "level",
    "sector_code": "sector_code",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "external_id": "external_id",
    "__all__": None,
}

EMPLOYEE_COLUMNS = [
    Column("national_id", True),
    Column("first_name", True),
    Column("last_name", True),
    Column("language"),
    Column("employee_external_id"),
    Column("employment_external_id", True),
    Column("unit_external_id", True),
    Column("occupation"),
    Column("start_date", True),
    Column("end_date"),
    Column("position_percent", True),
    Column("position_from"),
    Column("leader_national_id"),
]
EMPLOYEE_FIELD_COLUMNS = {
    "national_id": "national_id",
    "first_name": "first_name",
    "last_name": "last_name",
    "language": "language",
    "external_id": "employee_external_id",
}
EMPLOYMENT_FIELD_COLUMNS = {
    "unit": "unit_external_id",
    "occupation": "occupation",
    "start_date": "start_date",
    "end_date": "end_date",
    "nearest_leader": "leader_national_id",
    "external_id": "employment_external_id",
}
POSITION_FIELD_COLUMNS = {"position_percent": "position_percent", "valid_from": "position_from"}


def _existing(
    model: type[models.Model], organisation: Organisation, key: str, values: Iterable[str]
) -> dict[str, models.Model]:
    return {
        getattr(obj, key): obj
        for obj in where_in(model.objects.filter(organisation=organisation), key, values)
    }


def import_units(path: Path, organisation: Organisation, dry_run: bool = False) -> ImportResult:
    """Parents are saved before their children wherever they appear in the file."""

    def apply(rows: list[Row], result: ImportResult) -> None:
        by_id = {row.text("external_id"): row for row in rows}
        units = _existing(Unit, organisation, "external_id", by_id)
        done: set[str] = set()

        def save(external_id: str, path_so_far: tuple[str, ...]) -> None:
            row = by_id[external_id]
            if external_id in done:
                return
            done.add(external_id)
            parent_id = row.text("parent_external_id")
            if parent_id in path_so_far:
                row.problem(
                    "parent_external_id",
                    _("The parent chain of %(unit)s loops back to itself.") % {"unit": external_id},
                )
                return
            if parent_id in by_id:
                save(parent_id, (*path_so_far, external_id))
            parent = None
            if parent_id:
                parent = (
                    units.get(parent_id)
                    or Unit.objects.filter(organisation=organisation, external_id=parent_id).first()
                )
                if parent is None:
                    row.problem(
                        "parent_external_id",
                        _("Unknown unit %(unit)s: it is neither in the file nor in the register.")
                        % {"unit": parent_id},
                    )
                    return
            level = row.choice("level", Unit.Level.values)
            valid_from, valid_to = row.date("valid_from"), row.date("valid_to", required=False)
            if row.problems:
                return
            unit = units.get(external_id) or Unit(
                organisation=organisation, external_id=external_id
            )
            if outcome := upsert(
                row,
                unit,
                {
                    "parent": parent,
                    "name": row.text("name"),
                    "level": level,
                    "sector_code": row.text("sector_code"),
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                },
                UNIT_FIELD_COLUMNS,
            ):
                units[external_id] = unit
                result.count(outcome)

        seen: set[str] = set()
        for row in rows:
            external_id = row.required("external_id")
            if external_id in seen:
                row.problem(
                    "external_id", _("%(id)s appears twice in the file.") % {"id": external_id}
                )
            elif external_id:
                seen.add(external_id)
                save(external_id, ())

    return run_import(path, UNIT_COLUMNS, apply, dry_run)


def import_employees(path: Path, organisation: Organisation, dry_run: bool = False) -> ImportResult:
    """One row per employment and position period: repeat the employment with a later ``position_from``
    for each change of position percent. The file's position periods replace those stored for the employment."""

    def apply(rows: list[Row], result: ImportResult) -> None:
        ids = {
            fodselsnummer.compact(row.text(c))
            for row in rows
            for c in ("national_id", "leader_national_id")
        } - {""}
        employees = _existing(Employee, organisation, "national_id", ids)
        units = {
            u.external_id: u
            for u in Unit.objects.filter(organisation=organisation).exclude(external_id="")
        }
        employments = _existing(
            Employment,
            organisation,
            "external_id",
            {row.text("employment_external_id") for row in rows},
        )
        stored_positions: dict[int, dict] = {}
        for change in where_in(
            PositionChange.objects.filter(employment__organisation=organisation),
            "employment_id",
            (e.pk for e in employments.values()),
        ):
            stored_positions.setdefault(change.employment_id, {})[change.valid_from] = change
        first_row_of: dict[str, Row] = {}
        positions: dict[str, dict] = {}
        saved_employees: set[str] = set()

        for row in rows:
            national_id = fodselsnummer.compact(row.required("national_id") or "")
            employment_id = row.required("employment_external_id")
            if not national_id or employment_id is None:
                continue
            employee = employees.get(national_id) or Employee(organisation=organisation)
            language = (
                row.choice("language", Employee.Language.values, required=False)
                or Employee.Language.BOKMAAL
            )
            if outcome := upsert(
                row,
                employee,
                {
                    "national_id": national_id,
                    "first_name": row.text("first_name"),
                    "last_name": row.text("last_name"),
                    "language": language,
                    "external_id": row.text("employee_external_id"),
                },
                EMPLOYEE_FIELD_COLUMNS,
            ):
                employees[national_id] = employee
                if national_id not in saved_employees:
                    saved_employees.add(national_id)
                    result.count(outcome)
            first = first_row_of.setdefault(employment_id, row)
            for column in (
                "national_id",
                "unit_external_id",
                "start_date",
                "end_date",
                "occupation",
                "leader_national_id",
            ):
                if row.text(column) != first.text(column):
                    row.problem(
                        column,
                        _("Differs from line %(line)s for the same employment %(id)s.")
                        % {"line": first.line, "id": employment_id},
                    )
            percent, position_from = (
                row.decimal("position_percent"),
                row.date("position_from", required=False) or row.date("start_date"),
            )
            if position_from in positions.setdefault(employment_id, {}):
                row.problem(
                    "position_from",
                    _("Employment %(id)s has two position percents from %(day)s.")
                    % {"id": employment_id, "day": position_from},
                )
            elif percent is not None and position_from is not None:
                positions[employment_id][position_from] = (row, percent)

        for employment_id, row in first_row_of.items():
            employee = employees.get(fodselsnummer.compact(row.text("national_id")))
            unit = units.get(row.required("unit_external_id") or "")
            if unit is None and row.text("unit_external_id"):
                row.problem(
                    "unit_external_id",
                    _("Unknown unit %(unit)s; import the units first.")
                    % {"unit": row.text("unit_external_id")},
                )
            leader_id = fodselsnummer.compact(row.text("leader_national_id"))
            leader = employees.get(leader_id) if leader_id else None
            if leader_id and leader is None:
                row.problem(
                    "leader_national_id",
                    _("Unknown leader %(id)s: not an employee in the file or the register.")
                    % {"id": leader_id},
                )
            start, end = row.date("start_date"), row.date("end_date", required=False)
            if start is not None and start not in positions[employment_id]:
                row.problem(
                    "position_from",
                    _("Employment %(id)s needs a position percent from its start date %(day)s.")
                    % {"id": employment_id, "day": start},
                )
            if employee is None or employee.pk is None or row.problems:
                continue
            employment = employments.get(employment_id) or Employment(
                organisation=organisation, external_id=employment_id
            )
            outcome = upsert(
                row,
                employment,
                {
                    "employee": employee,
                    "unit": unit,
                    "occupation": row.text("occupation"),
                    "start_date": start,
                    "end_date": end,
                    "nearest_leader": leader,
                },
                EMPLOYMENT_FIELD_COLUMNS,
            )
            if outcome is None:
                continue
            if _save_positions(employment, positions[employment_id], stored_positions):
                outcome = "updated" if outcome == "unchanged" else outcome
            result.count(outcome)

    return run_import(path, EMPLOYEE_COLUMNS, apply, dry_run)


def _save_positions(
    employment: Employment, wanted: dict, stored_positions: dict[int, dict]
) -> bool:
    """Make the employment's position periods those of the file; returns whether any changed."""
    stored = stored_positions.get(employment.pk, {})
    gone = [change.pk for valid_from, change in stored.items() if valid_from not in wanted]
    if gone:
        PositionChange.objects.filter(pk__in=gone).delete()
    changed = bool(gone)
    for valid_from, (position_row, percent) in sorted(wanted.items()):
        change = stored.get(valid_from) or PositionChange(
            employment=employment, valid_from=valid_from
        )
        outcome = upsert(
            position_row, change, {"position_percent": percent}, POSITION_FIELD_COLUMNS
        )
        changed = changed or outcome not in (None, "unchanged")
    return changed
