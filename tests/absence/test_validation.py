"""Every bad absence record is refused with a message naming the field and the rule (DOMAIN.md §4)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from naervaer.absence import services
from naervaer.absence.models import SelfCertification, SickNotePeriod

pytestmark = pytest.mark.django_db
D = datetime.date
RECEIVED = D(2024, 6, 1)
START, END = D(2024, 3, 4), D(2024, 3, 10)


def sick(employment, note_type="full", start=START, end=END, **kw):
    return services.sick_note_period_register(
        actor=None,
        employment=employment,
        note_type=note_type,
        start_date=start,
        end_date=end,
        received_on=kw.pop("received_on", RECEIVED),
        **kw,
    )


def refused(call, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    messages = " ".join(error.value.message_dict.get(field, []))
    assert words in messages, error.value.message_dict


def test_valid_full_sick_note_gets_grade_100(employment):
    note = sick(employment)
    assert (note.grade, SickNotePeriod.objects.count()) == (100, 1)


def test_end_before_start_refused(employment):
    refused(
        lambda: sick(employment, start=D(2024, 3, 10), end=D(2024, 3, 9)),
        "end_date",
        "before the start date",
    )


@pytest.mark.parametrize("grade", [None, 19, 100, 0])
def test_graded_needs_20_to_99(employment, grade):
    refused(lambda: sick(employment, "graded", grade=grade), "grade", "20 to 99")


@pytest.mark.parametrize("grade", [20, 50, 99])
def test_graded_within_range_accepted(employment, grade):
    assert sick(employment, "graded", grade=grade).grade == grade


def test_full_with_other_grade_refused(employment):
    refused(lambda: sick(employment, "full", grade=60), "grade", "grade 100")


def test_awaiting_longer_than_16_days_refused(employment):
    refused(
        lambda: sick(employment, "awaiting", start=D(2024, 3, 1), end=D(2024, 3, 17)),
        "end_date",
        "16 days",
    )
    assert sick(employment, "awaiting", start=D(2024, 3, 1), end=D(2024, 3, 16)).grade is None


def test_awaiting_adjoining_another_period_refused(employment):
    sick(employment, start=D(2024, 3, 1), end=D(2024, 3, 10))
    refused(
        lambda: sick(employment, "awaiting", start=D(2024, 3, 11), end=D(2024, 3, 15)),
        "start_date",
        "cannot be combined",
    )


def test_period_adjoining_an_awaiting_note_refused(employment):
    sick(employment, "awaiting", start=D(2024, 3, 11), end=D(2024, 3, 15))
    refused(
        lambda: services.self_certification_register(
            actor=None, employment=employment, start_date=D(2024, 3, 8), end_date=D(2024, 3, 10)
        ),
        "start_date",
        "cannot be combined",
    )


def test_ordinary_periods_may_adjoin(employment):
    sick(employment, start=D(2024, 3, 1), end=D(2024, 3, 10))
    assert sick(employment, "graded", grade=50, start=D(2024, 3, 11), end=D(2024, 3, 20)).pk


def test_overlap_across_sick_notes_and_self_certifications_refused(employment):
    services.self_certification_register(
        actor=None, employment=employment, start_date=D(2024, 3, 4), end_date=D(2024, 3, 6)
    )
    refused(
        lambda: sick(employment, start=D(2024, 3, 6), end=D(2024, 3, 20)), "start_date", "overlaps"
    )
    assert SickNotePeriod.objects.count() == 0


def test_editing_a_period_does_not_overlap_itself(employment):
    note = sick(employment)
    note.end_date = D(2024, 3, 12)
    note.full_clean()


def test_treatment_days_at_most_one_per_week(employment):
    # 4–17 March 2024: Monday to Sunday two weeks later = 2 calendar weeks.
    refused(
        lambda: sick(
            employment, "treatment_days", start=D(2024, 3, 4), end=D(2024, 3, 17), treatment_days=3
        ),
        "treatment_days",
        "one per week",
    )
    assert sick(
        employment, "treatment_days", start=D(2024, 3, 4), end=D(2024, 3, 17), treatment_days=2
    ).pk


def test_treatment_days_only_on_treatment_notes(employment):
    refused(lambda: sick(employment, treatment_days=1), "treatment_days", "Only a treatment-days")


def test_longer_than_365_days_refused(employment):
    refused(
        lambda: sick(employment, start=D(2022, 1, 1), end=D(2023, 1, 1), received_on=D(2022, 1, 1)),
        "end_date",
        "365 days",
    )
    assert sick(employment, start=D(2022, 1, 1), end=D(2022, 12, 31), received_on=D(2022, 1, 1)).pk


def test_starting_more_than_3_years_before_receipt_refused(employment):
    refused(
        lambda: sick(
            employment, start=D(2021, 5, 31), end=D(2021, 6, 5), received_on=D(2024, 6, 1)
        ),
        "start_date",
        "3 years",
    )
    assert sick(employment, start=D(2021, 6, 1), end=D(2021, 6, 5), received_on=D(2024, 6, 1)).pk


def test_period_outside_employment_refused(employment):
    refused(
        lambda: sick(
            employment, start=D(2019, 12, 30), end=D(2020, 1, 3), received_on=D(2020, 1, 5)
        ),
        "start_date",
        "outside the employment",
    )


def test_holiday_may_overlap_sickness_but_not_other_holiday(employment):
    sick(employment)
    services.holiday_leave_register(
        actor=None,
        employment=employment,
        kind="holiday",
        start_date=D(2024, 3, 8),
        end_date=D(2024, 3, 15),
    )
    refused(
        lambda: services.holiday_leave_register(
            actor=None,
            employment=employment,
            kind="leave",
            start_date=D(2024, 3, 15),
            end_date=D(2024, 3, 16),
        ),
        "start_date",
        "overlaps",
    )


def test_self_certification_quota_breach_is_flagged_not_refused(employment):
    # Standard rules: at most 3 days each time.
    long = services.self_certification_register(
        actor=None, employment=employment, start_date=D(2024, 1, 8), end_date=D(2024, 1, 11)
    )
    assert long.quota_breach and "4 days" in long.quota_breach_reason
    assert SelfCertification.objects.count() == 1


def test_fifth_self_certification_in_12_months_flagged(employment):
    starts = [D(2024, 1, 8), D(2024, 3, 4), D(2024, 5, 6), D(2024, 7, 1), D(2024, 9, 2)]
    for start in starts:
        services.self_certification_register(
            actor=None,
            employment=employment,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
        )
    flags = list(
        SelfCertification.objects.order_by("start_date").values_list("quota_breach", flat=True)
    )
    assert flags == [False, False, False, False, True]
    # A sixth one more than 12 months after the first: only 4 in its window (Mar, May, Jul, Sep + itself = 5) still breaches.
    services.self_certification_register(
        actor=None, employment=employment, start_date=D(2025, 1, 13), end_date=D(2025, 1, 13)
    )
    assert SelfCertification.objects.get(start_date=D(2025, 1, 13)).quota_breach


def test_inclusive_workplace_allows_8_days(employment):
    org = employment.organisation
    org.self_certification_rules = "inclusive_workplace"
    org.save()
    ok = services.self_certification_register(
        actor=None, employment=employment, start_date=D(2024, 1, 8), end_date=D(2024, 1, 15)
    )
    too_long = services.self_certification_register(
        actor=None, employment=employment, start_date=D(2024, 2, 5), end_date=D(2024, 2, 13)
    )
    assert (ok.quota_breach, too_long.quota_breach) == (False, True)


def test_self_certification_in_first_two_months_flagged(employment):
    early = services.self_certification_register(
        actor=None, employment=employment, start_date=D(2020, 2, 28), end_date=D(2020, 2, 29)
    )
    assert early.quota_breach and "2 months" in early.quota_breach_reason
    later = services.self_certification_register(
        actor=None, employment=employment, start_date=D(2020, 3, 2), end_date=D(2020, 3, 2)
    )
    assert not later.quota_breach
