"""The register refuses bad organisations, identity numbers, units and employments with clear messages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from naervaer.org import services
from naervaer.org.models import Employee

pytestmark = pytest.mark.django_db
D = datetime.date


def message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_organisation_number_mod11_checked():
    with pytest.raises(ValidationError) as error:
        services.organisation_create(name="X", org_number="974760674")
    assert "mod-11" in message(error.value, "org_number")


def test_employee_identity_derives_birth_date_and_sex(org_tree):
    employee = services.employee_create(
        organisation=org_tree["org"], national_id="151086 95088", first_name="A", last_name="B"
    )
    assert (employee.national_id, employee.birth_date, employee.sex) == (
        "15108695088",
        D(1986, 10, 15),
        "F",
    )


def test_d_number_accepted_with_real_birth_date(org_tree):
    # D-number 410180 123 + check digits computed by hand: k1 = 11 - 104 mod 11 = 6, k2 = 11 - 116 mod 11 = 5.
    employee = services.employee_create(
        organisation=org_tree["org"], national_id="41018012365", first_name="A", last_name="B"
    )
    assert (employee.birth_date, employee.sex) == (D(1980, 1, 1), "M")


@pytest.mark.parametrize("bad", ["15108695077", "1510869508", "abcdefghijk", "32138695088"])
def test_invalid_identity_numbers_refused(org_tree, bad):
    with pytest.raises(ValidationError) as error:
        services.employee_create(
            organisation=org_tree["org"], national_id=bad, first_name="A", last_name="B"
        )
    assert "fødselsnummer" in message(error.value, "national_id")
    assert not Employee.objects.filter(national_id=bad).exists()


def test_same_person_twice_in_one_organisation_refused(org_tree):
    services.employee_create(
        organisation=org_tree["org"], national_id="15108695088", first_name="A", last_name="B"
    )
    with pytest.raises(ValidationError):
        services.employee_create(
            organisation=org_tree["org"], national_id="15108695088", first_name="A", last_name="B"
        )


@pytest.mark.parametrize("percent", [-1, 100.5, 250])
def test_position_percent_outside_0_100_refused(org_tree, percent):
    with pytest.raises(ValidationError) as error:
        services.position_change(
            employment=org_tree["employments"]["ola"],
            valid_from=D(2022, 1, 1),
            position_percent=percent,
        )
    assert "0–100" in message(error.value, "position_percent")


def test_position_percent_over_time(org_tree):
    employment = org_tree["employments"]["ola"]
    services.position_change(employment=employment, valid_from=D(2022, 1, 1), position_percent=60)
    assert employment.position_percent_on(D(2021, 12, 31)) == 100
    assert employment.position_percent_on(D(2022, 1, 1)) == 60
    assert employment.position_percent_on(D(2019, 12, 31)) is None


def test_employment_end_before_start_refused(org_tree):
    with pytest.raises(ValidationError) as error:
        services.employment_create(
            employee=org_tree["employees"]["per"],
            unit=org_tree["units"]["site"],
            start_date=D(2022, 5, 1),
            end_date=D(2022, 4, 30),
            position_percent=50,
        )
    assert "before the start date" in message(error.value, "end_date")


def test_unit_level_must_descend(org_tree):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            organisation=org_tree["org"],
            name="Bad",
            level="sector",
            parent=org_tree["units"]["site"],
            valid_from=D(2020, 1, 1),
        )
    assert "organisation → sector → department → site" in message(error.value, "parent")


def test_unit_tree_cannot_become_circular(org_tree):
    health = org_tree["units"]["health"]
    health.parent = org_tree["units"]["site"]
    health.level = "site"
    with pytest.raises(ValidationError) as error:
        health.full_clean()
    assert "circular" in message(error.value, "parent")


def test_unit_leader_needs_a_unit(org_tree):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("noone")
    with pytest.raises(ValidationError) as error:
        services.role_assign(user=user, role="unit_leader", organisation=org_tree["org"])
    assert "unit" in error.value.message_dict
