"""Registering absence: one transaction each, ``full_clean()`` before save, scoped by ``org.access``.

``actor=None`` means a system job (an import run by an administrator from the command line, the
demo loader); interactive callers always pass the signed-in user and are checked against their scope.
Every change recomputes the employment's follow-up cases in the same transaction
(``absences_changed``): the follow-up never learns of absences any other way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from naervaer.absence.models import (
    AbsencePeriod,
    HolidayLeave,
    NavDiagnosis,
    SelfCertification,
    SickNotePeriod,
)
from naervaer.audit import services as audit
from naervaer.followup.services.sync import cases_refresh_all
from naervaer.org import access
from naervaer.org.models import Employment
from naervaer.org.services import save_valid
from naervaer.rules import self_certification_breaches
from naervaer.rules.values import Period


def _require_scope(
    actor: access.ActorLike | None,
    employment: Employment,
    action: access.Action = access.Action.REGISTER_ABSENCE,
) -> None:
    if actor is not None and not access.holds(actor, action, employment):
        raise PermissionDenied(_("You may not register absence for this employment."))


def _save(actor: access.ActorLike | None, record: AbsencePeriod) -> AbsencePeriod:
    _require_scope(actor, record.employment)
    save_valid(record)
    if actor is not None:
        audit.record(
            actor,
            "create",
            record._meta.model_name,
            record.pk,
            subject_employee_id=record.employment.employee_id,
        )
    absences_changed([record.employment])
    return record


def absences_changed(employments: Iterable[Employment]) -> None:
    """What follows from changed absences: the self-certification quota flags and the
    follow-up cases of each employment. Callers that change absences call it in their transaction."""
    employments = list({employment.pk: employment for employment in employments}.values())
    for employment in employments:
        refresh_quota_flags(employment)
    cases_refresh_all(
        Employment.objects.filter(pk__in=[e.pk for e in employments])
        .select_related("employee", "organisation")
        .order_by("pk")
    )


@transaction.atomic
def absence_delete(*, actor: access.User | None, record: AbsencePeriod) -> None:
    """Delete a wrongly registered absence; the cases are recomputed without it."""
    employment = record.employment
    _require_scope(actor, employment)
    if actor is not None:
        audit.record(
            actor,
            "delete",
            record._meta.model_name,
            record.pk,
            subject_employee_id=employment.employee_id,
        )
    record.delete()
    absences_changed([employment])


# Organisation.SelfCertificationRules values → naervaer.rules quota rule-set keys.
QUOTA_RULE_SETS = {"standard": "standard", "inclusive_workplace": "inclusive"}


def refresh_quota_flags(employment: Employment) -> int:
    """Re-evaluate every self-certification of the employment against its organisation's quota; returns how many breach."""
    certifications = list(
        SelfCertification.objects.filter(employment=employment).order_by("start_date")
    )
    reasons: list[list[str]] = [[] for _c in certifications]
    for breach in self_certification_breaches(
        [Period(c.start_date, c.end_date) for c in certifications],
        employment.start_date,
        QUOTA_RULE_SETS[employment.organisation.self_certification_rules],
    ):
        reasons[breach.index].append(breach.message)
    changed = []
    for certification, found in zip(certifications, reasons, strict=True):
        flag, reason = bool(found), "; ".join(found)[:300]
        if (certification.quota_breach, certification.quota_breach_reason) != (flag, reason):
            certification.quota_breach, certification.quota_breach_reason = flag, reason
            changed.append(certification)
    SelfCertification.objects.bulk_update(changed, ["quota_breach", "quota_breach_reason"])
    return sum(1 for found in reasons if found)


@transaction.atomic
def self_certification_register(
    *,
    actor: access.ActorLike | None,
    employment: Employment,
    start_date: datetime.date,
    end_date: datetime.date,
    external_id: str = "",
) -> SelfCertification:
    certification = _save(
        actor,
        SelfCertification(
            employment=employment,
            organisation_id=employment.organisation_id,
            start_date=start_date,
            end_date=end_date,
            external_id=external_id,
        ),
    )
    certification.refresh_from_db()
    return certification


@transaction.atomic
def sick_note_period_register(
    *,
    actor: access.ActorLike | None,
    employment: Employment,
    note_type: str,
    start_date: datetime.date,
    end_date: datetime.date,
    grade: int | None = None,
    treatment_days: int | None = None,
    work_related_reason: str = "",
    note_to_employer: str = "",
    received_on: datetime.date | None = None,
    external_id: str = "",
) -> SickNotePeriod:
    return _save(
        actor,
        SickNotePeriod(
            employment=employment,
            organisation_id=employment.organisation_id,
            note_type=note_type,
            start_date=start_date,
            end_date=end_date,
            grade=grade,
            treatment_days=treatment_days,
            work_related_reason=work_related_reason,
            note_to_employer=note_to_employer,
            received_on=received_on or datetime.date.today(),
            external_id=external_id,
        ),
    )


@transaction.atomic
def holiday_leave_register(
    *,
    actor: access.ActorLike | None,
    employment: Employment,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    external_id: str = "",
) -> HolidayLeave:
    return _save(
        actor,
        HolidayLeave(
            employment=employment,
            organisation_id=employment.organisation_id,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            external_id=external_id,
        ),
    )


@transaction.atomic
def diagnosis_record(
    *, actor: access.ActorLike, sick_note_period: SickNotePeriod, icpc2_code: str
) -> NavDiagnosis:
    """NAV side only: attach (or correct) the diagnosis of a sick-note period."""
    if not access.holds(actor, access.Action.NAV_SIDE, sick_note_period.employment):
        raise PermissionDenied(_("Only NAV may record a diagnosis."))
    user = access.as_actor(actor).user
    diagnosis = NavDiagnosis.objects.filter(
        sick_note_period=sick_note_period
    ).first() or NavDiagnosis(sick_note_period=sick_note_period, recorded_by=user)
    diagnosis.icpc2_code = icpc2_code
    save_valid(diagnosis)
    audit.record(
        actor,
        "create",
        "diagnosis",
        diagnosis.pk,
        subject_employee_id=sick_note_period.employment.employee_id,
    )
    return diagnosis
