"""The privacy pages in a real browser, in Norwegian, on a desktop and a phone-sized screen: HR's
list of what is due for deletion and the employee's page for downloading their own data (the PDF
download itself included); axe-core finds nothing serious."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from naervaer.absence import services as absence

from .test_followup_journeys import _login, people  # noqa: F401 (people is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def old_case(people):  # noqa: F811 (the fixture imported above)
    absence.sick_note_period_register(
        actor=None,
        employment=people["employment"],
        note_type="full",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 3, 26),
        note_to_employer="light work",
        received_on=datetime.date(2021, 3, 2),
    )


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_privacy_pages_in_norwegian_fit_the_screen(
    browser, live_server, old_case, serious_axe_violations, screenshot, screen
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport=SCREENS[screen], accept_downloads=True
    )
    page = context.new_page()
    try:
        for username, url, text, name in [
            ("hr", "/personvern/sletting/", "Ola Ansatt", "privacy-retention"),
            ("ansatt", "/personvern/mine-opplysninger/", "Last ned som PDF", "privacy-mine"),
        ]:
            context.clear_cookies()
            _login(page, username)
            page.get_by_role("button", name="Norsk").click()
            page.goto(url)
            page.get_by_text(text).first.wait_for()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{url}: {width[0]} px wide on a {width[1]} px screen"
            assert serious_axe_violations(page) == [], url
            screenshot(page, f"{name}-{screen}")
        with page.expect_download() as download:
            page.get_by_role("link", name="Last ned som PDF").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    finally:
        context.close()
