"""Export of units, employees (with employments and position periods) and absences, in exactly the
import formats, so an exported file re-imports cleanly (and changes nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from naervaer.absence.importing import ABSENCE_COLUMNS
from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.audit import services as audit
from naervaer.org.importing import EMPLOYEE_COLUMNS, UNIT_COLUMNS
from naervaer.org.models import Employment, Organisation, PositionChange, Unit
from naervaer.org.tabular import write_table


def _unit_rows(organisation: Organisation) -> Iterator[list[Any]]:
    for unit in (
        Unit.objects.filter(organisation=organisation)
        .select_related("parent")
        .order_by("level", "id")
    ):
        yield [
            unit.external_id,
            unit.parent.external_id if unit.parent else "",
            unit.name,
            unit.level,
            unit.sector_code,
            unit.valid_from,
            unit.valid_to,
        ]


def _employee_rows(organisation: Organisation) -> Iterator[list[Any]]:
    changes = (
        PositionChange.objects.filter(employment__organisation=organisation)
        .select_related("employment__employee", "employment__unit", "employment__nearest_leader")
        .order_by("employment__employee__national_id", "employment_id", "valid_from")
    )
    for change in changes:
        employment, employee = change.employment, change.employment.employee
        yield [
            employee.national_id,
            employee.first_name,
            employee.last_name,
            employee.language,
            employee.external_id,
            employment.external_id,
            employment.unit.external_id,
            employment.occupation,
            employment.start_date,
            employment.end_date,
            change.position_percent,
            change.valid_from,
            employment.nearest_leader.national_id if employment.nearest_leader else "",
        ]


def _absence_rows(organisation: Organisation) -> Iterator[list[Any]]:
    for record in (
        SelfCertification.objects.filter(organisation=organisation)
        .select_related("employment")
        .order_by("employment_id", "start_date")
    ):
        yield [
            record.external_id,
            record.employment.external_id,
            "self_certification",
            record.start_date,
            record.end_date,
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    for record in (
        SickNotePeriod.objects.filter(organisation=organisation)
        .select_related("employment")
        .order_by("employment_id", "start_date")
    ):
        yield [
            record.external_id,
            record.employment.external_id,
            "sick_note",
            record.start_date,
            record.end_date,
            record.note_type,
            record.grade,
            record.treatment_days,
            record.work_related_reason,
            record.note_to_employer,
            record.received_on,
        ]
    for record in (
        HolidayLeave.objects.filter(organisation=organisation)
        .select_related("employment")
        .order_by("employment_id", "start_date")
    ):
        yield [
            record.external_id,
            record.employment.external_id,
            record.kind,
            record.start_date,
            record.end_date,
            "",
            "",
            "",
            "",
            "",
            "",
        ]


TABLES = {
    "units": (UNIT_COLUMNS, _unit_rows),
    "employees": (EMPLOYEE_COLUMNS, _employee_rows),
    "absences": (ABSENCE_COLUMNS, _absence_rows),
}


EXTERNAL_ID_PREFIXES = {
    Unit: "unit-",
    Employment: "employment-",
    SelfCertification: "selfcert-",
    SickNotePeriod: "sicknote-",
    HolidayLeave: "holidayleave-",
}


def _ensure_external_ids(organisation: Organisation) -> None:
    """Give records registered by hand a stable external id, so the exported file re-imports as an update."""
    for model, prefix in EXTERNAL_ID_PREFIXES.items():
        model.objects.filter(organisation=organisation, external_id="").update(
            external_id=Concat(Value(prefix), Cast("id", CharField()))
        )


def export_table(table: str, organisation: Organisation, path: Path, fmt: str | None = None) -> int:
    """Write one table of the organisation; returns the number of data rows. The export is logged."""
    columns, rows = TABLES[table]
    _ensure_external_ids(organisation)
    count = write_table(path, columns, rows(organisation), fmt)
    audit.record(None, "export", table, organisation.org_number, purpose=f"export to {path.name}")
    return count
