"""The remaining follow-up pages in a real browser: axe-core on the placement bank, calendar feed
page, audit pages and NAV list; the bring-forward date set inline (htmx, no page load); and the
work list and case page on a phone-sized screen without sideways scrolling."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from naervaer.absence import services as absence
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import sync
from naervaer.org import services as org
from naervaer.org.models import Organisation, Role

from .test_followup_journeys import PASSWORD, _login, people  # noqa: F401 (people is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sick_case(people):  # noqa: F811 (the fixture imported above)
    today = datetime.date.today()
    note = absence.sick_note_period_register(
        actor=None,
        employment=people["employment"],
        note_type="full",
        start_date=today - datetime.timedelta(days=40),
        end_date=today + datetime.timedelta(days=30),
    )
    nav = get_user_model().objects.create_user("nav", password=PASSWORD, email="nav@example.org")
    org.role_assign(
        user=nav,
        role=Role.NAV,
        organisation=Organisation.objects.get(),
        valid_from=datetime.date(2020, 1, 1),
    )
    absence.diagnosis_record(actor=nav, sick_note_period=note, icpc2_code="L03")
    [case] = sync.cases_refresh(people["employment"])
    return case


def test_remaining_pages_have_no_serious_axe_violations(
    page, sick_case, serious_axe_violations
) -> None:
    for username, url, heading in [
        ("leder", "/oppfolging/stillingsbank/", None),
        ("leder", "/oppfolging/kalender/", None),
        ("hr", "/oppfolging/logg/", None),
        ("ansatt", "/oppfolging/logg/min/", None),
        ("nav", "/oppfolging/nav/", "L03"),
    ]:
        page.context.clear_cookies()
        _login(page, username)
        response = page.goto(url)
        assert response.status == 200, (username, url)
        if heading:
            assert page.get_by_text(heading).first.is_visible()
        assert serious_axe_violations(page) == [], (username, url)


def test_bring_forward_is_set_without_a_page_load(page, sick_case, serious_axe_violations) -> None:
    _login(page, "leder")
    page.goto(f"/oppfolging/sak/{sick_case.pk}/")
    page.evaluate("window.notReloaded = true")
    day = datetime.date.today() + datetime.timedelta(days=10)
    page.get_by_label("Bring forward").fill(day.isoformat())
    page.get_by_role("button", name="Set bring-forward date").click()
    page.locator("#bring-forward-status").get_by_text("Saved.").wait_for()
    assert page.locator("#bring-forward-value").inner_text() == day.isoformat()
    assert page.evaluate("window.notReloaded") is True
    assert FollowupCase.objects.get(pk=sick_case.pk).bring_forward == day
    assert serious_axe_violations(page) == []


def test_work_list_and_case_page_fit_a_phone(browser, live_server, sick_case, screenshot) -> None:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    try:
        _login(page, "leder")
        for url, name in [
            ("/oppfolging/", "followup-worklist-phone"),
            (f"/oppfolging/sak/{sick_case.pk}/", "followup-case-phone"),
        ]:
            page.goto(url)
            page.get_by_role("heading", level=1).first.wait_for()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], (
                f"{url}: page is {width[0]} px wide on a {width[1]} px screen"
            )
            screenshot(page, name)
    finally:
        context.close()
