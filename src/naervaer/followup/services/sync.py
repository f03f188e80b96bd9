"""Case synchronisation: the stored cases and milestones kept equal to what the rules core
computes from the register.

The absence services call ``cases_refresh`` (one employment) or ``cases_refresh_all`` (an import,
the demo load) in the transaction that changed the absences; nothing listens for model signals.
What is stored does not move with the calendar (see ``models``), so reads never recompute. The
daily job (``naervaer remind``) calls ``refresh_open`` only to write what the calendar brings into
the case history: a milestone that has escalated, responsibility that has moved to HR.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from naervaer.followup.computation import AbsenceSpan, ComputedCase, compute_cases
from naervaer.followup.models import (
    CaseEvent,
    CommitteeReferral,
    ErasedCase,
    FollowupCase,
    Meeting,
    Milestone,
    PlacementAssignment,
    Plan,
)
from naervaer.followup.routines import AppliedRoutine, RoutineResolver
from naervaer.followup.spans import spans_by_employment
from naervaer.org.models import Employment
from naervaer.rules import MilestoneInstance, Person

REFRESH_BATCH = 500  # employments per round of bulk reads and writes
CASE_FIELDS = (
    "start",
    "end",
    "sick_days",
    "employer_period_end",
    "current",
    "max_date",
    "days_used",
    "days_remaining",
    "max_date_rule",
    "routine",
    "hr_takeover_on",
)
MILESTONE_VALUES = (  # what a refresh sets, in this order
    "title_nb",
    "title_en",
    "due",
    "opens",
    "applicable",
    "responsible",
    "document",
    "legal_reference",
    "waivable",
    "escalation_role",
    "escalates_on",
    "escalated_to",
)
DOCUMENT_MODELS = (Meeting, Plan, PlacementAssignment, CommitteeReferral)


def _match(
    start: datetime.date, end: datetime.date, stored: list[FollowupCase]
) -> FollowupCase | None:
    """The stored case a computed case continues: same start, else the first that overlaps it."""
    return next((s for s in stored if s.start == start), None) or next(
        (s for s in stored if s.start <= end and s.end >= start), None
    )


@dataclass
class _Writes:
    """What one batch of employments changes, written in bulk at the end of the batch."""

    new_cases: list[FollowupCase] = field(default_factory=list)
    changed_cases: list[FollowupCase] = field(default_factory=list)
    new_milestones: list[tuple[FollowupCase, str, dict[str, Any]]] = field(default_factory=list)
    changed_milestones: list[Milestone] = field(default_factory=list)
    dropped_milestones: list[int] = field(default_factory=list)
    gone_cases: list[int] = field(default_factory=list)
    events: list[tuple[FollowupCase, str, dict[str, Any]]] = field(default_factory=list)

    def save(self) -> None:
        FollowupCase.objects.bulk_create(self.new_cases)
        FollowupCase.objects.bulk_update(self.changed_cases, CASE_FIELDS)
        _insert_milestones(self.new_milestones)
        Milestone.objects.bulk_update(self.changed_milestones, MILESTONE_VALUES)
        Milestone.objects.filter(pk__in=self.dropped_milestones).delete()
        CaseEvent.objects.bulk_create(
            [CaseEvent(case=case, kind=kind, params=params) for case, kind, params in self.events]
        )
        if self.gone_cases:
            # A case the absences no longer give is kept (not current) while documents hang on it.
            documented: set[int] = set()
            for model in DOCUMENT_MODELS:
                documented |= set(
                    model.objects.filter(case_id__in=self.gone_cases).values_list(
                        "case_id", flat=True
                    )
                )
            FollowupCase.objects.filter(pk__in=documented).update(current=False)
            FollowupCase.objects.filter(pk__in=set(self.gone_cases) - documented).delete()


def _insert_milestones(rows: list[tuple[FollowupCase, str, dict[str, Any]]]) -> None:
    """Insert new milestones from (case, key, values) without model instances: a demo load creates
    ~270,000, and building instances for ``bulk_create`` cost most of the refresh. PostgreSQL takes
    them by COPY (psycopg spends seconds parsing long multi-row INSERTs); SQLite by multi-row
    INSERTs of 500 rows (within its limit on parameters)."""
    columns = ["case_id", "key", *MILESTONE_VALUES, "recorded", "waive_reason"]
    values = [(case.pk, key, *values.values(), "", "") for case, key, values in rows]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        dates = {
            i for i, column in enumerate(columns) if column in ("due", "opens", "escalates_on")
        }
        adapt = connection.ops.adapt_datefield_value
        row_marks = f"({', '.join(['%s'] * len(columns))})"
        for first in range(0, len(values), 500):
            chunk = values[first : first + 500]
            params = [adapt(v) if i in dates else v for row in chunk for i, v in enumerate(row)]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row_marks] * len(chunk))}",
                params,
            )


def _takeover_on(applied: AppliedRoutine, computed: ComputedCase) -> datetime.date | None:
    """The day HR takes over under the routine choice, if the case is still running then."""
    if not applied.hr_takeover_weeks:
        return None
    day = computed.case.start + datetime.timedelta(weeks=applied.hr_takeover_weeks)
    return None if computed.case.closed_on(day) else day


def _refresh_employment(
    employment: Employment,
    spans: list[AbsenceSpan],
    applied: AppliedRoutine,
    stored: list[FollowupCase],
    stored_milestones: dict[int, list[dict[str, Any]]],
    taken_over: set[int],
    erased: list[tuple[datetime.date, datetime.date]],
    day: datetime.date,
    writes: _Writes,
) -> list[FollowupCase]:
    """Compute one employment's cases in memory and queue the changes against what is stored.
    ``taken_over`` are the stored cases whose move to HR the history already tells; ``erased``
    the days of cases retention deleted, which stay deleted."""
    recorded = {
        case.pk: {
            m["key"]: m["recorded"] for m in stored_milestones.get(case.pk, []) if m["recorded"]
        }
        for case in stored
    }
    person = Person(employment.employee.birth_date)

    def recorded_for(rules_case) -> dict[str, str]:
        match = _match(rules_case.start, rules_case.end, stored)
        return recorded.get(match.pk, {}) if match else {}

    kept: list[FollowupCase] = []
    for computed in compute_cases(spans, person, applied.routine, day, recorded_for):
        if any(a <= computed.case.end and b >= computed.case.start for a, b in erased):
            continue
        case = _match(computed.case.start, computed.case.end, [s for s in stored if s not in kept])
        if case is None:
            case = FollowupCase(
                employment=employment,
                employee_id=employment.employee_id,
                organisation_id=employment.organisation_id,
            )
        before = {name: getattr(case, name) for name in CASE_FIELDS}
        max_date = computed.max_date
        case.start, case.end, case.sick_days = (
            computed.case.start,
            computed.case.end,
            computed.case.sick_days,
        )
        case.employer_period_end, case.current = computed.employer_period_end, True
        case.max_date = max_date.last_day if max_date else None
        case.days_used = max_date.used if max_date else None
        case.days_remaining = max_date.remaining if max_date else None
        case.max_date_rule = max_date.rule if max_date else ""
        case.routine = applied.routine.key
        case.hr_takeover_on = _takeover_on(applied, computed)
        if (
            case.hr_takeover_on is not None
            and case.hr_takeover_on <= day
            and case.pk not in taken_over
        ):
            writes.events.append(
                (case, "responsibility_to_hr", {"weeks": applied.hr_takeover_weeks})
            )
        if case.pk is None:
            writes.new_cases.append(case)
        elif any(getattr(case, name) != value for name, value in before.items()):
            writes.changed_cases.append(case)
        _queue_milestones(
            case, computed.milestones, stored_milestones.get(case.pk, []) if case.pk else [], writes
        )
        kept.append(case)
    writes.gone_cases += [case.pk for case in stored if case not in kept]
    return kept


def _queue_milestones(
    case: FollowupCase,
    instances: list[MilestoneInstance],
    stored: list[dict[str, Any]],
    writes: _Writes,
) -> None:
    """``stored`` are the case's milestone rows as dicts: a bulk refresh reads ~270,000 of them and
    model instances are built only for the few that changed."""
    existing = {m["key"]: m for m in stored}
    for instance in instances:
        milestone = existing.get(instance.key)
        recorded = milestone["recorded"] if milestone else ""
        announced = milestone["escalated_to"] if milestone else ""
        escalated = instance.escalate_to or ""
        if escalated and not announced and not recorded:
            writes.events.append(
                (
                    case,
                    "milestone_escalated",
                    {
                        "milestone": instance.key,
                        "title_nb": instance.title_nb,
                        "title_en": instance.title_en,
                        "role": escalated,
                    },
                )
            )
        values = {
            "title_nb": instance.title_nb,
            "title_en": instance.title_en,
            "due": instance.due,
            "opens": instance.opens,
            "applicable": instance.applicable,
            "responsible": instance.responsible,
            "document": instance.document,
            "legal_reference": instance.legal_reference,
            "waivable": instance.waivable,
            "escalation_role": instance.escalation_role or "",
            "escalates_on": instance.escalates_on,
            "escalated_to": announced if recorded else escalated,
        }
        if milestone is None:
            writes.new_milestones.append((case, instance.key, values))
        elif any(milestone[k] != v for k, v in values.items()):
            writes.changed_milestones.append(
                Milestone(pk=milestone["id"], case_id=case.pk, key=instance.key, **values)
            )
    keys = {instance.key for instance in instances}
    writes.dropped_milestones += [
        m["id"] for m in stored if m["key"] not in keys and not m["recorded"]
    ]


@transaction.atomic
def _refresh_batch(
    employments: list[Employment], day: datetime.date
) -> dict[int, list[FollowupCase]]:
    """Refresh a batch of employments with a fixed number of queries, whatever the batch size."""
    ids = [e.pk for e in employments]
    spans = spans_by_employment(ids)
    resolve = RoutineResolver({e.organisation_id for e in employments}, day)
    stored: dict[int, list[FollowupCase]] = defaultdict(list)
    for case in FollowupCase.objects.filter(employment_id__in=ids):
        stored[case.employment_id].append(case)
    milestones: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Milestone.objects.filter(case__employment_id__in=ids).values(
        "id", "case_id", "key", "recorded", *MILESTONE_VALUES
    ):
        milestones[row["case_id"]].append(row)
    taken_over = set(
        CaseEvent.objects.filter(
            case__employment_id__in=ids, kind="responsibility_to_hr"
        ).values_list("case_id", flat=True)
    )
    erased: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for employment_id, start, end in ErasedCase.objects.filter(employment_id__in=ids).values_list(
        "employment_id", "start", "end"
    ):
        erased[employment_id].append((start, end))
    writes = _Writes()
    kept = {
        e.pk: _refresh_employment(
            e,
            spans.get(e.pk, []),
            resolve(e),
            stored.get(e.pk, []),
            milestones,
            taken_over,
            erased.get(e.pk, []),
            day,
            writes,
        )
        for e in employments
    }
    writes.save()
    return kept


def cases_refresh(employment: Employment, today: datetime.date | None = None) -> list[FollowupCase]:
    """Recompute the employment's cases and milestones from its absences (idempotent)."""
    kept = _refresh_batch([employment], today or timezone.localdate())[employment.pk]
    # Fresh rows, read back as stored (milestones were written in bulk, not through these objects).
    return list(FollowupCase.objects.filter(pk__in=[case.pk for case in kept]).order_by("start"))


def cases_refresh_all(
    employments: Iterable[Employment] | None = None, today: datetime.date | None = None
) -> int:
    """Recompute many employments (after a bulk import or load, or daily), in batches: bulk reads
    of the batch's absences, cases and routine choices, bulk writes of the changes."""
    day = today or timezone.localdate()
    rows = (
        employments
        if employments is not None
        else Employment.objects.select_related("employee").order_by("pk")
    )
    count, batch = 0, []
    for employment in rows.iterator() if isinstance(rows, QuerySet) else rows:
        batch.append(employment)
        if len(batch) == REFRESH_BATCH:
            count += sum(len(cases) for cases in _refresh_batch(batch, day).values())
            batch = []
    if batch:
        count += sum(len(cases) for cases in _refresh_batch(batch, day).values())
    return count


def refresh_open(today: datetime.date | None = None) -> int:
    """The daily recomputation: every employment with a case open on ``today``."""
    day = today or timezone.localdate()
    employment_ids = FollowupCase.objects.filter(FollowupCase.open_on(day)).values("employment_id")
    return cases_refresh_all(
        Employment.objects.filter(pk__in=employment_ids).select_related("employee").order_by("pk"),
        day,
    )
