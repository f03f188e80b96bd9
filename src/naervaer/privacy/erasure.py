"""Deleting and anonymising what retention made due (docs/retention.md), one organisation per
transaction, so a run that stops half-way leaves each organisation either done or untouched.
The transaction first takes the organisation row's write lock, so two runs at once take turns and
the second finds nothing left to do.

What the statistics read is never changed: absence dates, types and grades, employments, position
percents, units, birth date and sex stay, so every figure stays the same. The access log is not
touched either (it is append-only); each person affected gets one entry saying what retention did.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from naervaer.absence.models import HolidayLeave, NavDiagnosis, SelfCertification, SickNotePeriod
from naervaer.audit import services as audit
from naervaer.followup.models import ErasedCase, FollowupCase, WorkplaceDescription
from naervaer.org.models import Employee, Employment, Organisation
from naervaer.prevention.models import Conversation, Invitation
from naervaer.privacy.retention import Due

ANONYMOUS_NAME = "Anonymisert"
PURPOSE = "retention"


@dataclass(frozen=True)
class Done:
    cases: int
    persons: int
    sick_notes: int
    self_certifications: int
    diagnoses: int


def anonymous_national_id(employee_id: int) -> str:
    """Unique within the organisation, 11 characters, and never a valid identity number (a letter)."""
    return f"A{employee_id:010d}"


def _erase_cases(due: Due) -> tuple[int, set[int]]:
    cases = list(due.cases.values_list("pk", "employment_id", "employee_id", "start", "end"))
    ErasedCase.objects.bulk_create(
        [
            ErasedCase(employment_id=employment, start=start, end=end, erased_on=due.clock.today)
            for _pk, employment, _employee, start, end in cases
        ]
    )
    FollowupCase.objects.filter(pk__in=[row[0] for row in cases]).delete()
    return len(cases), {row[2] for row in cases}


def _anonymise(employee_ids: list[int], due: Due) -> None:
    for employee_id in employee_ids:
        Employee.objects.filter(pk=employee_id).update(
            first_name=ANONYMOUS_NAME,
            last_name="",
            national_id=anonymous_national_id(employee_id),
            external_id="",
            user=None,
            anonymised_on=due.clock.today,
        )
    employments = Employment.objects.filter(employee_id__in=employee_ids)
    WorkplaceDescription.objects.filter(employment__in=employments).delete()
    Conversation.objects.filter(employee_id__in=employee_ids).delete()
    Invitation.objects.filter(employee_id__in=employee_ids).update(email="")
    for model in (SickNotePeriod, SelfCertification, HolidayLeave):
        model.objects.filter(employment__in=employments).update(external_id="")
    employments.update(external_id="")


def apply(due: Due) -> Done:
    """Delete and anonymise everything in ``due``; running it again finds nothing left to do."""
    with transaction.atomic():
        Organisation.objects.filter(pk=due.organisation.pk).update(name=F("name"))  # the lock
        persons = list(due.persons.values_list("pk", flat=True))
        notes = list(due.sick_notes.values_list("pk", "employment__employee_id"))
        certifications = list(due.self_certifications.values_list("pk", "employment__employee_id"))
        diagnoses = list(
            due.diagnoses.values_list("pk", "sick_note_period__employment__employee_id")
        )
        cases, case_people = _erase_cases(due)
        SickNotePeriod.objects.filter(pk__in=[pk for pk, _ in notes]).update(
            work_related_reason="", note_to_employer=""
        )
        SelfCertification.objects.filter(pk__in=[pk for pk, _ in certifications]).update(
            quota_breach_reason=""
        )
        NavDiagnosis.objects.filter(pk__in=[pk for pk, _ in diagnoses]).delete()
        _anonymise(persons, due)
        employer_side = (
            set(persons)
            | case_people
            | {person for _, person in notes}
            | {person for _, person in certifications}
        )
        # Diagnoses are logged as NAV-side entries, which the employer's log search leaves out.
        for object_type, people in (
            ("retention", employer_side),
            ("diagnosis", {person for _, person in diagnoses}),
        ):
            for employee_id in sorted(people):
                audit.record(
                    None, "delete", object_type, subject_employee_id=employee_id, purpose=PURPOSE
                )
    return Done(cases, len(persons), len(notes), len(certifications), len(diagnoses))
