"""The retention rules: defaults when an organisation has none, edited in the admin site."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.org.models import RetentionRules

pytestmark = pytest.mark.django_db


def test_an_organisation_without_rules_follows_the_defaults(world):
    rules = RetentionRules.for_organisation(world["org"].pk)
    assert rules.pk is None
    assert (rules.case_years, rules.employment_years) == (3, 3)
    assert (rules.diagnosis_months, rules.leader_months) == (12, 12)


def _form(org, **rules) -> dict[str, object]:
    prefix = "retention_rules"
    return {
        "name": org.name,
        "org_number": org.org_number,
        "self_certification_rules": org.self_certification_rules,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1,
        **{f"{prefix}-0-{name}": value for name, value in rules.items()},
    }


def test_the_administrator_sets_the_rules_on_the_organisations_page(world):
    org = world["org"]
    client = Client()
    client.force_login(world["users"]["sysadmin"])
    url = reverse("admin:org_organisation_change", args=[org.pk])
    assert "retention_rules-0-leader_months" in client.get(url).content.decode()
    response = client.post(
        url, _form(org, case_years=2, employment_years=5, diagnosis_months=6, leader_months=18)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rules = RetentionRules.for_organisation(org.pk)
    assert (rules.case_years, rules.employment_years, rules.diagnosis_months) == (2, 5, 6)
    assert rules.leader_months == 18


def test_a_retention_time_out_of_range_is_refused_with_a_message(world):
    org = world["org"]
    client = Client()
    client.force_login(world["users"]["sysadmin"])
    url = reverse("admin:org_organisation_change", args=[org.pk])
    response = client.post(
        url, _form(org, case_years=0, employment_years=3, diagnosis_months=12, leader_months=12)
    )
    assert response.status_code == 200
    assert "større enn eller lik 1" in response.content.decode()  # the page is in Norwegian
    assert not RetentionRules.objects.exists()
