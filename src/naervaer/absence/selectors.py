"""Reads of absence records, scoped by ``naervaer.org.access`` and written to the access log.

The employer side gets plain dicts with a whitelist of fields (``EMPLOYER_FIELDS``): the employer's
copy of a sick note. Diagnoses come only from ``diagnoses_for``, which refuses everyone but NAV.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from naervaer.absence.models import HolidayLeave, NavDiagnosis, SelfCertification, SickNotePeriod
from naervaer.audit import services as audit
from naervaer.org import access

COMMON_FIELDS = ("id", "employment_id", "employment__employee_id", "start_date", "end_date")
EMPLOYER_FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "self_certification": (SelfCertification, ("quota_breach", "quota_breach_reason")),
    "sick_note": (
        SickNotePeriod,
        (
            "note_type",
            "grade",
            "treatment_days",
            "work_related_reason",
            "note_to_employer",
            "received_on",
        ),
    ),
    "holiday_leave": (HolidayLeave, ("kind",)),
}


def _visible(model: type, actor: access.ActorLike, on: datetime.date | None) -> QuerySet:
    return model.objects.restrict(access.as_actor(actor, on), access.Action.VIEW_PERSON)


def absence_records(
    actor: access.ActorLike,
    *,
    employee_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    on: datetime.date | None = None,
    purpose: str = "",
) -> list[dict[str, Any]]:
    """The absences the actor may see, oldest first, as employer-side dicts (``record`` names the kind)."""
    records: list[dict[str, Any]] = []
    for record, (model, fields) in EMPLOYER_FIELDS.items():
        rows = _visible(model, actor, on)
        if employee_id is not None:
            rows = rows.filter(employment__employee_id=employee_id)
        if start is not None:
            rows = rows.filter(end_date__gte=start)
        if end is not None:
            rows = rows.filter(start_date__lte=end)
        for row in rows.values(*COMMON_FIELDS, *fields):
            row["employee_id"] = row.pop("employment__employee_id")
            records.append({"record": record, **row})
    records.sort(key=lambda r: (r["employee_id"], r["start_date"], r["record"]))
    audit.record_reads(actor, "absence", (r["employee_id"] for r in records), purpose)
    return records


def sick_note_periods(
    actor: access.ActorLike, on: datetime.date | None = None
) -> QuerySet[SickNotePeriod]:
    """Sick-note periods in the actor's scope (model instances carry no diagnosis: it is a separate model)."""
    return _visible(SickNotePeriod, actor, on).select_related("employment")


def self_certifications(
    actor: access.ActorLike, on: datetime.date | None = None
) -> QuerySet[SelfCertification]:
    return _visible(SelfCertification, actor, on).select_related("employment")


def diagnoses_for(
    actor: access.ActorLike, sick_note_period_ids: list[int], purpose: str = ""
) -> dict[int, dict[str, str]]:
    """NAV side: ICPC-2 code and chapter per sick-note period id, within the caseworker's scope."""
    if not access.as_actor(actor).can(access.Action.NAV_SIDE):
        raise PermissionDenied(_("Only NAV may see diagnoses."))
    rows = (
        NavDiagnosis.objects.restrict(actor, access.Action.NAV_SIDE)
        .filter(sick_note_period_id__in=sick_note_period_ids)
        .values(
            "sick_note_period_id",
            "icpc2_code",
            "chapter",
            "sick_note_period__employment__employee_id",
        )
    )
    found = {r["sick_note_period_id"]: r for r in rows}
    audit.record_reads(
        actor,
        "diagnosis",
        (r["sick_note_period__employment__employee_id"] for r in found.values()),
        purpose,
    )
    return {pk: {"icpc2_code": r["icpc2_code"], "chapter": r["chapter"]} for pk, r in found.items()}
