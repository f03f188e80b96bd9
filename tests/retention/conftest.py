"""The follow-up tests' small organisation (tests/followup/conftest.py) plus what retention acts on.

``old_world`` adds six people to the nursing home (so its statistics are not masked), gives Ola an
old closed case full of documents and a running one, and lets Siri and two of the six leave in
2022. On ``TODAY`` (1 December 2026) with the default rules (3 years), the cases that ended before
1 December 2023 and the people who left before then are due.
"""

from __future__ import annotations

import datetime

import pytest

from naervaer.absence import services as absence
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import case as case_services
from naervaer.followup.services import documents, meetings, plans
from naervaer.org import services as org
from naervaer.org.models import Employment
from tests.followup.conftest import (  # noqa: F401
    START,
    _english,
    _fast_passwords,
    national_id,
    sick_note,
    world,
)

D = datetime.date
TODAY = D(2026, 12, 1)
LEFT_ON = D(2022, 12, 31)


def _case_of(employment, start: D) -> FollowupCase:
    return FollowupCase.objects.get(employment=employment, start=start)


@pytest.fixture
def old_world(world):  # noqa: F811 (the imported fixture)
    hr, nav = world["users"]["hr"], world["users"]["nav"]
    home = world["units"]["home"]
    ola = world["employments"]["ola"]
    old_note = sick_note(
        ola,
        D(2021, 3, 1),
        D(2021, 3, 26),
        work_related_reason="lifting",
        note_to_employer="light work only",
    )
    absence.diagnosis_record(actor=nav, sick_note_period=old_note, icpc2_code="L03")
    old = _case_of(ola, D(2021, 3, 1))
    meetings.meeting_record(
        actor=hr, case=old, kind="follow_up_talk", held_on=D(2021, 3, 10), minutes="Back soon"
    )
    plans.plan_save(
        actor=hr,
        case=old,
        expected_version=None,
        data={"tasks": [{"task": "Desk", "capacity": "can"}]},
    )
    case_services.case_close(actor=hr, case=old, outcome="back_full_time", on=D(2021, 4, 1))
    new_note = sick_note(
        ola, D(2026, 11, 2), D(2026, 12, 31), work_related_reason="stress", note_to_employer="rest"
    )
    absence.diagnosis_record(actor=nav, sick_note_period=new_note, icpc2_code="P76")
    siri = world["employments"]["siri"]
    sick_note(siri, D(2022, 5, 2), D(2022, 5, 27), note_to_employer="no night shifts")
    documents.workplace_description_save(
        actor=hr, case=_case_of(siri, D(2022, 5, 2)), tasks="Teaching"
    )
    leavers = [siri]
    others = []
    for number in range(6):
        employee = org.employee_create(
            organisation=world["org"],
            national_id=national_id(D(1970 + number, 6, 1 + number), 200 + number),
            first_name=f"Person{number}",
            last_name="Test",
        )
        employment = org.employment_create(
            employee=employee, unit=home, start_date=START, position_percent=100
        )
        sick_note(employment, D(2021, 9, 6 + number), D(2021, 10, 1 + number), note_to_employer="x")
        if number < 2:
            leavers.append(employment)
            continue
        absence.self_certification_register(
            actor=None, employment=employment, start_date=D(2024, 2, 5), end_date=D(2024, 2, 7)
        )
        others.append(employment)
    Employment.objects.filter(pk__in=[e.pk for e in leavers]).update(end_date=LEFT_ON)
    # Every employment has an occupation: `naervaer stats` fails on an empty one (noted in the
    # lead's report; the statistics engine's business, not retention's).
    Employment.objects.update(occupation="helsefagarbeider")
    return {**world, "others": others, "leavers": leavers, "old_case": old}
