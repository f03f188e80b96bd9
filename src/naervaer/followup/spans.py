"""The register's absence rows of employments as timeline spans (employer-side fields only).

Internal plumbing for case computation and the day strip; it reads no diagnosis and logs nothing
itself — callers log the read of the case they show. Reads are per batch of employments (three
queries), so a bulk refresh does not query once per employment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.followup.computation import AbsenceSpan, sick_note_span
from naervaer.rules import DayKind


def spans_by_employment(employment_ids: Collection[int]) -> dict[int, list[AbsenceSpan]]:
    spans: dict[int, list[AbsenceSpan]] = defaultdict(list)
    ids = list(employment_ids)
    for employment_id, start, end in SelfCertification.objects.filter(
        employment_id__in=ids
    ).values_list("employment_id", "start_date", "end_date"):
        spans[employment_id].append(AbsenceSpan(start, end, DayKind.SELF_CERTIFIED))
    for employment_id, note_type, start, end, grade in SickNotePeriod.objects.filter(
        employment_id__in=ids
    ).values_list("employment_id", "note_type", "start_date", "end_date", "grade"):
        spans[employment_id].append(sick_note_span(note_type, start, end, grade))
    for employment_id, kind, start, end in HolidayLeave.objects.filter(
        employment_id__in=ids
    ).values_list("employment_id", "kind", "start_date", "end_date"):
        spans[employment_id].append(AbsenceSpan(start, end, DayKind(kind)))
    return spans


def employment_spans(employment_id: int) -> list[AbsenceSpan]:
    return spans_by_employment([employment_id]).get(employment_id, [])
