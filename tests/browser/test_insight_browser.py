"""The unit page in a real browser: chart renders under the CSP, drill down, set a target, PDF, axe."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from naervaer.demo.load import DEMO_PASSWORD, load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.org.models import RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


def test_unit_leader_drills_down_sets_a_target_and_downloads_the_report(
    page, screenshot, serious_axe_violations
) -> None:
    cache.clear()
    load_into_database(generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=300)))
    unit = RoleAssignment.objects.get(user__username="enhetsleder", role="unit_leader").unit
    _login(page, "enhetsleder")
    page.goto(f"/innsikt/enhet/{unit.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == unit.name
    chart = page.locator("figure.nv-chart svg").first
    assert chart.get_attribute("role") == "img" and chart.bounding_box()["width"] > 200
    assert serious_axe_violations(page) == []
    screenshot(page, "insight-unit")

    child = page.locator("#table-subunits tbody th a").first
    child_name = child.inner_text()
    child.click()
    assert page.get_by_role("heading", level=1).inner_text() == child_name
    screenshot(page, "insight-subunit")

    page.goto(f"/innsikt/enhet/{unit.pk}/")
    page.locator("#id_target_percent").fill("6,9")
    page.locator("#id_first_month").fill("2025-01")
    page.locator("#id_last_month").fill("2026-12")
    page.locator("form[action$='/mal/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("section.nv-target").count() == 1
    assert page.locator("section.nv-target .nv-status").count() == 1
    assert serious_axe_violations(page) == []
    screenshot(page, "insight-unit-target")

    with page.expect_download() as download:
        page.locator("a[href$='rapport.pdf']").click()
    path = download.value.path()
    assert path.read_bytes()[:5] == b"%PDF-"


def test_hr_overview_renders_heat_map_without_console_errors(
    page, screenshot, serious_axe_violations
) -> None:
    cache.clear()
    load_into_database(generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=300)))
    _login(page, "hr")
    page.goto("/innsikt/oversikt/")
    assert page.locator("figure.nv-chart svg").count() == 2  # ranking and heat map
    assert serious_axe_violations(page) == []
    screenshot(page, "insight-overview")
    page.goto("/innsikt/oppfolgingsliste/")
    assert page.locator("table tbody tr").count() > 0
    screenshot(page, "insight-attention")
