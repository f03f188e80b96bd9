"""What retention has made due for deletion or anonymisation (docs/retention.md).

One place decides it for both the command (``naervaer retention``, the whole organisation) and
HR's page (the adviser's scope): each function narrows a queryset it is given, so a caller passes
the organisation's rows or the rows the access layer lets the actor see. Nothing here writes;
``erasure.apply`` does the deleting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from naervaer.absence.models import NavDiagnosis, SelfCertification, SickNotePeriod
from naervaer.followup.models import FollowupCase
from naervaer.org.models import Employee, Employment, Organisation, RetentionRules
from naervaer.rules.cases import CASE_GAP_DAYS
from naervaer.rules.values import add_months

GAP = datetime.timedelta(days=CASE_GAP_DAYS)


@dataclass(frozen=True)
class Clock:
    """The organisation's rules turned into cut-off days for one day: what ended on or before a
    cut-off is due."""

    rules: RetentionRules
    today: datetime.date

    @property
    def cases(self) -> datetime.date:
        return add_months(self.today, -12 * self.rules.case_years)

    @property
    def persons(self) -> datetime.date:
        return add_months(self.today, -12 * self.rules.employment_years)

    @property
    def diagnoses(self) -> datetime.date:
        return add_months(self.today, -self.rules.diagnosis_months)

    def case_due_on(self, case: FollowupCase) -> datetime.date:
        return add_months(ended_on(case), 12 * self.rules.case_years)

    def person_due_on(self, left_on: datetime.date) -> datetime.date:
        return add_months(left_on, 12 * self.rules.employment_years)


def ended_on(case: FollowupCase) -> datetime.date:
    """The day a case ended: closed by people, else ended by the rules 16 days after the last sick day."""
    return case.closed_on or case.end + GAP


def _ended_by(day: datetime.date, prefix: str = "") -> Q:
    """Cases that ended on or before ``day``."""
    return Q(**{f"{prefix}closed_on__lte": day}) | Q(
        **{f"{prefix}closed_on__isnull": True, f"{prefix}end__lte": day - GAP}
    )


def persons_due(employees: QuerySet[Employee], clock: Clock) -> QuerySet[Employee]:
    """People not yet anonymised whose every employment ended on or before the cut-off, with
    ``left_on`` (the last employment's end)."""
    still_employed = Employment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=clock.persons), employee_id=OuterRef("pk")
    )
    return (
        employees.filter(anonymised_on__isnull=True, employments__isnull=False)
        .filter(~Exists(still_employed))
        .annotate(left_on=Max("employments__end_date"))
        .order_by("left_on", "pk")
    )


def cases_due(cases: QuerySet[FollowupCase], clock: Clock) -> QuerySet[FollowupCase]:
    """Cases that ended on or before the cut-off, and every case of a person due for anonymisation."""
    leaving = persons_due(Employee.objects.all(), clock).values("pk")
    return cases.filter(_ended_by(clock.cases) | Q(employee_id__in=leaving)).order_by("end", "pk")


def _kept_cases(clock: Clock) -> QuerySet[FollowupCase]:
    """Cases retention keeps, overlapping the outer absence record."""
    return FollowupCase.objects.filter(
        employment_id=OuterRef("employment_id"),
        start__lte=OuterRef("end_date"),
        end__gte=OuterRef("start_date"),
    ).exclude(_ended_by(clock.cases))


def _details_due(records: QuerySet, clock: Clock, filled: Q) -> QuerySet:
    leaving = persons_due(Employee.objects.all(), clock).values("pk")
    old = Q(end_date__lte=clock.cases) & ~Q(Exists(_kept_cases(clock)))
    return records.filter(filled).filter(old | Q(employment__employee_id__in=leaving))


def sick_notes_due(notes: QuerySet[SickNotePeriod], clock: Clock) -> QuerySet[SickNotePeriod]:
    """Sick notes whose work-related reason and note to the employer are to be cleared."""
    return _details_due(notes, clock, ~Q(work_related_reason="") | ~Q(note_to_employer=""))


def self_certifications_due(
    records: QuerySet[SelfCertification], clock: Clock
) -> QuerySet[SelfCertification]:
    """Self-certifications whose quota note is to be cleared."""
    return _details_due(records, clock, ~Q(quota_breach_reason=""))


def diagnoses_due(diagnoses: QuerySet[NavDiagnosis], clock: Clock) -> QuerySet[NavDiagnosis]:
    """NAV-side diagnoses of sick notes that ended on or before the cut-off and belong to no open
    case, and every diagnosis of a person due for anonymisation."""
    open_case = FollowupCase.objects.filter(
        FollowupCase.open_on(clock.today),
        employment_id=OuterRef("sick_note_period__employment_id"),
        start__lte=OuterRef("sick_note_period__end_date"),
        end__gte=OuterRef("sick_note_period__start_date"),
    )
    leaving = persons_due(Employee.objects.all(), clock).values("pk")
    return diagnoses.filter(
        (Q(sick_note_period__end_date__lte=clock.diagnoses) & ~Q(Exists(open_case)))
        | Q(sick_note_period__employment__employee_id__in=leaving)
    )


@dataclass(frozen=True)
class Due:
    """What is due in one organisation on one day (querysets: evaluated by whoever reads them)."""

    organisation: Organisation
    clock: Clock
    cases: QuerySet[FollowupCase]
    persons: QuerySet[Employee]
    sick_notes: QuerySet[SickNotePeriod]
    self_certifications: QuerySet[SelfCertification]
    diagnoses: QuerySet[NavDiagnosis]

    def counts(self) -> dict[str, int]:
        return {
            "cases": self.cases.count(),
            "persons": self.persons.count(),
            "sick_notes": self.sick_notes.count(),
            "self_certifications": self.self_certifications.count(),
            "diagnoses": self.diagnoses.count(),
        }


def due(organisation: Organisation, today: datetime.date) -> Due:
    """Everything due in the organisation (the command's view: no actor, the whole organisation)."""
    clock = Clock(RetentionRules.for_organisation(organisation.pk), today)
    mine = {"organisation": organisation}
    return Due(
        organisation=organisation,
        clock=clock,
        cases=cases_due(FollowupCase.objects.filter(**mine), clock),
        persons=persons_due(Employee.objects.filter(**mine), clock),
        sick_notes=sick_notes_due(SickNotePeriod.objects.filter(**mine), clock),
        self_certifications=self_certifications_due(
            SelfCertification.objects.filter(**mine), clock
        ),
        diagnoses=diagnoses_due(
            NavDiagnosis.objects.filter(sick_note_period__organisation=organisation), clock
        ),
    )
