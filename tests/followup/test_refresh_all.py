"""The bulk refresh (batched reads and writes over many employments) stores exactly what the
per-employment refresh stores: same cases, same milestones, same routine and responsibility."""

from __future__ import annotations

import datetime

import pytest

from naervaer.demo.load import load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.followup.models import FollowupCase, Milestone, RoutineChoice
from naervaer.followup.services import sync
from naervaer.org.models import Employment, Unit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 15)


def _stored() -> tuple[set, set]:
    cases = set(
        FollowupCase.objects.values_list(
            "employment_id",
            "start",
            "end",
            "sick_days",
            "employer_period_end",
            "max_date",
            "days_remaining",
            "max_date_rule",
            "routine",
            "responsible",
            "hr_takeover_on",
            "current",
        )
    )
    milestones = set(
        Milestone.objects.values_list(
            "case__employment_id",
            "case__start",
            "key",
            "due",
            "opens",
            "applicable",
            "escalates_on",
            "escalated_to",
            "title_nb",
        )
    )
    return cases, milestones


def test_bulk_refresh_equals_per_employment_refresh(monkeypatch):
    load_into_database(
        generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=20, seed=3, years=2))
    )
    # An organisation-wide routine with an early HR takeover, and another routine on one sector:
    # routines are resolved per unit subtree, nearest choice first.
    sector = Unit.objects.filter(level="sector").order_by("pk").first()
    RoutineChoice.objects.create(
        organisation_id=sector.organisation_id,
        routine="kommune-4",
        valid_from=datetime.date(2000, 1, 1),
        hr_takeover_weeks=1,
    )
    RoutineChoice.objects.create(
        organisation_id=sector.organisation_id,
        unit=sector,
        routine="aurskog-holand",
        valid_from=datetime.date(2000, 1, 1),
    )
    monkeypatch.setattr(sync, "REFRESH_BATCH", 7)  # several batches and a partial last one
    FollowupCase.objects.all().delete()
    count = sync.cases_refresh_all(today=TODAY)
    bulk = _stored()

    FollowupCase.objects.all().delete()
    for employment in Employment.objects.select_related("employee", "unit"):
        sync.cases_refresh(employment, TODAY)
    single = _stored()

    assert count == len(bulk[0]) and len(bulk[0]) > 20 and len(bulk[1]) > 100
    assert {row[8] for row in bulk[0]} == {"aurskog-holand", "kommune-4"}
    assert any(row[10] is not None for row in bulk[0])  # HR takes over after a week
    assert bulk == single
    # A second bulk run over unchanged absences changes nothing.
    sync.cases_refresh_all(today=TODAY)
    assert _stored() == single
