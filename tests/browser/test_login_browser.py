"""The login journey in a real browser: styles load locally, no CSP errors, accessible, nb/en."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_in_a_real_browser(page, screenshot, serious_axe_violations) -> None:
    get_user_model().objects.create_user(
        "ola", password="korrekt-hest-batteri-42", first_name="Ola", last_name="Nordmann"
    )
    page.goto("/login/")
    assert page.title() == "Logg inn – Nærvær"
    # Designsystemet's stylesheet is served locally and applied (buttons get its styling).
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.ds-button')).cursor") == "pointer"
    )
    assert serious_axe_violations(page) == []
    screenshot(page, "login")
    page.get_by_label("Brukernavn").fill("ola")
    page.get_by_label("Passord").fill("korrekt-hest-batteri-42")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Velkommen, Ola Nordmann"
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Ola Nordmann"
