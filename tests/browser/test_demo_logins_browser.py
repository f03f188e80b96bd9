"""Every demo role can log in through a real browser and lands on a start page made for that role."""

from __future__ import annotations

import datetime

import pytest

from naervaer.demo.load import DEMO_PASSWORD, DEMO_USERS, load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_LABELS_NB = {
    Role.ADMIN: "systemansvarlig",
    Role.HR: "HR-rådgiver",
    Role.UNIT_LEADER: "enhetsleder",
    Role.NEAREST_LEADER: "nærmeste leder",
    Role.EMPLOYEE: "arbeidstaker",
    Role.OCCUPATIONAL_HEALTH: "bedriftshelsetjeneste",
    Role.NAV: "NAV-veileder",
    Role.SAFETY_REP: "verneombud",
    Role.UNION_REP: "tillitsvalgt",
    Role.ANALYST: "analytiker",
}


def test_each_demo_role_can_log_in(page, screenshot, serious_axe_violations) -> None:
    load_into_database(
        generate(
            DemoConfig(end_date=datetime.date(2026, 10, 31), employees=120, seed=3, names=True)
        )
    )
    assert {role for _, role, _ in DEMO_USERS} == set(ROLE_LABELS_NB), "one demo user per role"
    for username, role, _description in DEMO_USERS:
        page.goto("/login/")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url("**/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Velkommen"), username
        tags = page.locator(".ds-tag").all_inner_texts()
        assert any(ROLE_LABELS_NB[role].lower() in tag.lower() for tag in tags), (username, tags)
        assert serious_axe_violations(page) == [], username
        screenshot(page, f"start-{username}")
        page.get_by_role("button", name="Logg ut").click()
        page.wait_for_url("**/login/")
