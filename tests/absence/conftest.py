"""One employee with one employment in a one-unit organisation, for absence rules."""

from __future__ import annotations

import datetime

import pytest

from naervaer.org import services


@pytest.fixture
def employment(db):
    org = services.organisation_create(name="Kommune", org_number="974760673")
    unit = services.unit_create(
        organisation=org, name="Kommune", level="organisation", valid_from=datetime.date(2020, 1, 1)
    )
    # 15108695088: a valid fødselsnummer (born 15 Oct 1986, female) from python-stdnum's documentation.
    employee = services.employee_create(
        organisation=org, national_id="15108695088", first_name="Kari", last_name="Nordmann"
    )
    return services.employment_create(
        employee=employee, unit=unit, start_date=datetime.date(2020, 1, 1), position_percent=80
    )


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English msgids, whatever the nb catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield
