"""The prevention journey in a real browser, in Norwegian, every page checked with axe-core:
HR starts a round; an employee answers on a phone through the e-mailed link; after the close the
leader sees the results and records goals and measures; the safety rep comments; a deviation is
reported and closed; the unit page shows survey, HSE and absence side by side."""

from __future__ import annotations

import datetime
import re

import pytest

from naervaer.prevention import survey_services
from naervaer.prevention.models import Deviation, Invitation, SurveyRound

from ..prevention.conftest import build_world
from ..smtp import django_inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "korrekt-hest-batteri-42"
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"(/forebygging/svar/[0-9a-f]{40}/)")


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(PASSWORD)


@pytest.fixture
def smtp(settings):
    yield from django_inbox(settings)


def _login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/")


def _check(page, serious_axe_violations, screenshot, name: str) -> None:
    assert serious_axe_violations(page) == [], name
    screenshot(page, f"prevention-{name}")


def test_round_answer_results_plan_comment_deviation_and_unit_page(
    page, browser, live_server, world, smtp, settings, screenshot, serious_axe_violations
) -> None:
    settings.NAERVAER_BASE_URL = live_server.url
    today = datetime.date.today()
    check = lambda name: _check(page, serious_axe_violations, screenshot, name)  # noqa: E731

    # HR starts a round.
    _login(page, "hr")
    page.goto("/forebygging/")
    check("index-hr")
    page.get_by_role("link", name="Arbeidsmiljøundersøkelser").first.click()
    page.get_by_role("link", name="Ny undersøkelse").click()
    page.get_by_label("Tittel").fill("Arbeidsmiljø 2026")
    page.get_by_label("Spørreskjema").select_option(
        label="Psykososialt arbeidsmiljø – ti faktorer (v1)"
    )
    page.get_by_label("Enheter som undersøkes (med alt under)").select_option(label="Kommune")
    page.get_by_label("Åpner").fill(today.isoformat())
    page.get_by_label("Stenger").fill((today + datetime.timedelta(days=14)).isoformat())
    page.get_by_label("Bakgrunnsgrupper (valgfritt)").fill("Alder: under 40, 40 eller eldre")
    check("round-new")
    page.get_by_role("button", name="Lagre som utkast").click()
    page.get_by_role("button", name="Åpne undersøkelsen og send invitasjonene").click()
    page.get_by_text("23 invitert, 23 e-poster sendt").wait_for()
    check("round-open")
    survey = SurveyRound.objects.get()

    # An employee answers on a phone through the e-mailed link, without logging in.
    mail = next(body for rcpt, body in smtp.messages if rcpt == ["home3@example.org"])
    path = LINK.search(mail.replace("=\n", "")).group(1)
    phone = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport=PHONE)
    answer = phone.new_page()
    answer.goto(path)
    assert answer.get_by_role("heading", name="Konflikthåndtering").is_visible()
    assert serious_axe_violations(answer) == []
    for item in survey.instrument.definition["items"]:
        answer.locator(f"input[name={item['key']}][value='4']").check()
    answer.get_by_label("Alder").select_option("under 40")
    answer.get_by_label("Er det noe mer du vil si").fill("Godt samhold, men lite informasjon.")
    screenshot(answer, "prevention-answer-phone")
    answer.get_by_role("button", name="Send svaret mitt").click()
    answer.get_by_role("heading", name="Takk for svaret ditt").wait_for()
    assert serious_axe_violations(answer) == []
    answer.goto(path)
    answer.get_by_text("Lenken er allerede brukt").wait_for()
    phone.close()
    # The others answer too (through the same service the page uses).
    items = survey.instrument.definition["items"]
    for n, invitation in enumerate(Invitation.objects.filter(round=survey, used=False)):
        survey_services.answer_submit(
            token=survey_services.token_for(invitation),
            values={item["key"]: 1 + (n + i) % 5 for i, item in enumerate(items)},
            bands={},
            comment=f"Kommentar {n}",
        )
    page.reload()
    page.get_by_role("button", name="Steng undersøkelsen nå").click()
    page.get_by_text("Undersøkelsen er stengt").wait_for()

    # The leader sees the results of her unit and records goals and measures.
    _login(page, "lena")
    page.goto(f"/forebygging/undersokelser/{survey.pk}/")
    page.get_by_role("link", name="Se resultatene").click()
    page.get_by_role("heading", name="Faktorskårer").wait_for()
    assert page.get_by_role("heading", name="Sykehjem", exact=True).is_visible()
    assert page.get_by_text("Laveste faktorer – her kan dere begynne:").is_visible()
    check("results-leader")
    page.goto("/forebygging/handlingsplaner/")
    page.get_by_label("Enhet").select_option(label="Sykehjem")
    page.get_by_label("Tittel").fill("HMS-plan Sykehjem")
    page.get_by_label("Til år").select_option(str(today.year + 1))
    page.get_by_label("Fra år").select_option(str(today.year))
    page.get_by_role("button", name="Opprett planen").click()
    page.get_by_text("Legg til et mål").click()
    page.locator("#id_goal-text").fill("Bedre intern informasjon")
    page.get_by_role("button", name="Legg til målet").click()
    page.get_by_text("Legg til et tiltak").click()
    page.locator("#id_measure-text").fill("Ukentlig informasjonsskriv")
    page.locator("#id_measure-owner_name").fill("Lena")
    page.locator("#id_measure-deadline").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Intern informasjon").check()
    page.get_by_role("button", name="Legg til tiltaket").click()
    page.get_by_role("rowheader", name="Ukentlig informasjonsskriv").wait_for()
    check("plan-leader")
    plan_url = page.url

    # The safety rep comments.
    _login(page, "verneombud")
    page.goto(plan_url)
    page.locator("#id_comment-text").fill("Husk kveldsvaktene i informasjonsskrivet.")
    page.get_by_role("button", name="Lagre kommentaren").click()
    page.get_by_text("Husk kveldsvaktene").wait_for()
    check("plan-safety-rep")

    # An employee reports a deviation without name; the leader closes it.
    _login(page, "home3")
    page.goto("/forebygging/avvik/ny/")
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Kategori").select_option("near_miss")
    page.get_by_label("Alvorlighetsgrad").select_option("medium")
    page.get_by_label("Hva skjedde").fill("Løfteren sviktet nesten under forflytning.")
    page.get_by_label("Meld uten navnet mitt").check()
    check("deviation-new")
    page.get_by_role("button", name="Send meldingen").click()
    page.get_by_text("Avviket er meldt til enhetens leder").wait_for()
    _login(page, "lena")
    page.goto(f"/forebygging/avvik/{Deviation.objects.get().pk}/")
    page.get_by_label("Oppfølging").fill("Løfteren er byttet.")
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Oppfølgingen er lagret").wait_for()
    assert Deviation.objects.get().status == "closed"
    check("deviation-closed")

    # The unit page shows survey, HSE and absence side by side.
    page.goto(f"/innsikt/enhet/{world['units']['home'].pk}/")
    page.get_by_role("heading", name="Arbeidsmiljø ved siden av sykefraværet").wait_for()
    assert page.get_by_role("heading", name="HMS-tiltak").is_visible()
    assert page.get_by_text("Siste undersøkelse").is_visible()
    check("unit-page")
