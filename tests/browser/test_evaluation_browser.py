"""The evaluation page in a real browser: fill the form, run, read the verdict; charts under the CSP, axe."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from naervaer.demo.load import DEMO_PASSWORD, load_into_database
from naervaer.demo.synth import DemoConfig, generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


def test_analyst_runs_an_evaluation_and_reads_the_verdict(
    page, screenshot, serious_axe_violations
) -> None:
    cache.clear()
    load_into_database(generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=300)))
    _login(page, "analytiker")
    page.goto("/innsikt/evaluering/")
    page.locator("#id_name").fill("Tettere oppfølging i omsorg")
    page.locator("#id_target_units").select_option(label="Helse og omsorg › Sykehjemstjenesten")
    page.locator("#id_reference_units").select_option(label="Helse og omsorg › Hjemmetjenesten")
    page.locator("#id_before_start").fill("2022-01-01")
    page.locator("#id_active_start").fill("2024-01-01")
    page.locator("#id_active_end").fill("2024-12-31")
    page.locator("#id_after_end").fill("2025-12-31")
    for box in page.locator("input[name=indicators]").all():
        if box.get_attribute("value") not in ("absence_percent", "spell_length"):
            box.uncheck()
    page.locator("form.nv-evaluation-form button[type=submit]").click()
    page.wait_for_load_state()

    verdicts = page.locator("ul.nv-verdicts li")
    assert verdicts.count() == 4  # two indicators × active and after
    assert "Sykefravær (%)" in verdicts.first.inner_text()  # bokmål by default
    assert page.locator("#table-effects tbody tr").count() > 4
    chart = page.locator("figure.nv-chart svg").first
    assert chart.get_attribute("role") == "img" and chart.bounding_box()["width"] > 200
    assert page.locator("a[href*='rapport.pdf']").count() == 1
    assert serious_axe_violations(page) == []
    screenshot(page, "evaluation")
