"""Import of absences — self-certifications, sick-note periods, holidays and leave — from one file.

Each row names its record kind in ``record`` and is upserted by ``external_id``. Rows are validated
by the models' ``clean()`` against the register and the rows before them, so overlaps inside the
file are caught too. Quota flags and follow-up cases are refreshed for every employment touched.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from naervaer.absence.models import AbsencePeriod, HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.absence.services import absences_changed
from naervaer.absence.validation import FIXED_GRADE
from naervaer.org.models import Employment, Organisation
from naervaer.org.tabular import Column, ImportResult, Row, run_import, upsert, where_in

RECORDS: dict[str, type[AbsencePeriod]] = {
    "self_certification": SelfCertification,
    "sick_note": SickNotePeriod,
    "holiday": HolidayLeave,
    "leave": HolidayLeave,
}
ABSENCE_COLUMNS = [
    Column("external_id", True),
    Column("employment_external_id", True),
    Column("record", True),
    Column("start_date", True),
    Column("end_date", True),
    Column("note_type"),
    Column("grade"),
    Column("treatment_days"),
    Column("work_related_reason"),
    Column("note_to_employer"),
    Column("received_on"),
]
FIELD_COLUMNS = {
    "employment": "employment_external_id",
    "start_date": "start_date",
    "end_date": "end_date",
    "note_type": "note_type",
    "grade": "grade",
    "treatment_days": "treatment_days",
    "work_related_reason": "work_related_reason",
    "note_to_employer": "note_to_employer",
    "received_on": "received_on",
    "external_id": "external_id",
    "kind": "record",
}


def _values(row: Row, record: str) -> dict:
    values = {"start_date": row.date("start_date"), "end_date": row.date("end_date")}
    if record == "sick_note":
        note_type = row.choice("note_type", SickNotePeriod.NoteType.values)
        values |= {
            "note_type": note_type,
            # An empty grade means the note type's fixed one, as the model's clean() fills it in.
            "grade": row.integer("grade") if row.text("grade") else FIXED_GRADE.get(note_type),
            "treatment_days": row.integer("treatment_days"),
            "work_related_reason": row.text("work_related_reason"),
            "note_to_employer": row.text("note_to_employer"),
        }
        if received_on := row.date("received_on", required=False):
            values["received_on"] = received_on
    elif record in ("holiday", "leave"):
        values["kind"] = record
    return values


def import_absences(path: Path, organisation: Organisation, dry_run: bool = False) -> ImportResult:
    def apply(rows: list[Row], result: ImportResult) -> None:
        employments = {
            e.external_id: e
            for e in where_in(
                Employment.objects.filter(organisation=organisation),
                "external_id",
                (r.text("employment_external_id") for r in rows),
            )
        }
        existing = {
            (model, obj.external_id): obj
            for model in set(RECORDS.values())
            for obj in where_in(
                model.objects.filter(organisation=organisation),
                "external_id",
                (r.text("external_id") for r in rows),
            )
        }
        seen: dict[str, int] = {}
        touched: set[Employment] = set()
        for row in rows:
            external_id = row.required("external_id")
            record = row.choice("record", RECORDS)
            employment = employments.get(row.text("employment_external_id"))
            if employment is None:
                row.problem(
                    "employment_external_id",
                    _("Unknown employment %(id)s; import the employees first.")
                    % {"id": row.text("employment_external_id") or _("(empty)")},
                )
            if external_id in seen:
                row.problem(
                    "external_id",
                    _("%(id)s appears twice in the file (first on line %(line)s).")
                    % {"id": external_id, "line": seen[external_id]},
                )
            if external_id:
                seen.setdefault(external_id, row.line)
            if record is None:
                continue
            values = _values(row, record)
            if row.problems:
                continue
            model = RECORDS[record]
            instance = existing.get((model, external_id)) or model(
                external_id=external_id, organisation=organisation
            )
            outcome = upsert(row, instance, {"employment": employment, **values}, FIELD_COLUMNS)
            if outcome:
                result.count(outcome)
            if outcome in ("created", "updated"):
                touched.add(employment)
        absences_changed(touched)

    return run_import(path, ABSENCE_COLUMNS, apply, dry_run)
