"""Least privilege, point by point: occupational health and NAV act on no employer-side record and
see no employee lists; the placement bank is for leaders of their own units and HR; actions are
offered only to those who may use them; a calendar-feed read is logged per person concerned."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.absence.models import SickNotePeriod
from naervaer.audit.models import AccessLog
from naervaer.followup.models import Placement
from tests.followup.conftest import SICK_FROM

pytestmark = pytest.mark.django_db


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


@pytest.mark.parametrize("username", ["bht", "nav"])
def test_occupational_health_and_nav_register_no_sick_note_and_see_no_employees(
    matrix_world, username
):
    client = _client(matrix_world, username)
    page = client.get(reverse("followup:sick_note_new"))
    assert page.status_code == 403
    assert "Kari" not in page.content.decode() and "Siri" not in page.content.decode()
    before = SickNotePeriod.objects.count()
    response = client.post(
        reverse("followup:sick_note_new"),
        {
            "employment": matrix_world["employments"]["kari"].pk,
            "note_type": "full",
            "start_date": SICK_FROM.isoformat(),
            "end_date": SICK_FROM.isoformat(),
        },
    )
    assert response.status_code == 403 and SickNotePeriod.objects.count() == before


def test_the_sick_note_form_lists_only_whom_one_may_register_for(matrix_world):
    html = _client(matrix_world, "lena").get(reverse("followup:sick_note_new")).content.decode()
    assert "Ola Test" in html and "Kari Test" in html and "Siri Test" not in html


@pytest.mark.parametrize("username", ["ola", "kari", "bht", "nav", "verneombud", "sysadmin"])
def test_the_placement_bank_is_closed_to_everyone_but_leaders_and_hr(matrix_world, username):
    client = _client(matrix_world, username)
    assert client.get(reverse("followup:placements")).status_code == 403
    before = Placement.objects.count()
    data = {"unit": matrix_world["unit"], "title": "Kitchen help"}
    assert client.post(reverse("followup:placements"), data).status_code == 403
    assert Placement.objects.count() == before
    assert "Reception" not in client.get(reverse("home")).content.decode()


def test_a_leader_sees_the_placement_bank_of_her_own_units(matrix_world):
    html = _client(matrix_world, "lena").get(reverse("followup:placements")).content.decode()
    assert "Reception" in html


def test_occupational_health_is_offered_only_what_it_may_do_on_a_case(matrix_world):
    url = reverse("followup:case", args=[matrix_world["case"]])
    html = _client(matrix_world, "bht").get(url).content.decode()
    assert reverse("followup:meeting_new", args=[matrix_world["case"]]) in html
    for action in ("bring_forward", "close", "placement_assign", "committee_refer", "workplace"):
        assert reverse(f"followup:{action}", args=[matrix_world["case"]]) not in html, action
    assert reverse("followup:milestone", args=[matrix_world["milestone"]]) not in html
    lena = _client(matrix_world, "lena").get(url).content.decode()
    assert reverse("followup:close", args=[matrix_world["case"]]) in lena


def test_the_register_button_shows_only_for_those_who_may_register(matrix_world):
    button = reverse("followup:sick_note_new")
    for username, shown in [("lena", True), ("hr", True), ("ola", False), ("bht", False)]:
        html = _client(matrix_world, username).get(reverse("followup:worklist")).content.decode()
        assert (button in html) is shown, username


def test_a_calendar_feed_read_is_logged_for_each_person_it_shows(matrix_world):
    lena = matrix_world["users"]["lena"]
    before = AccessLog.objects.filter(
        actor=lena, object_type="calendar_feed", action="read"
    ).count()
    response = Client().get(reverse("followup:feed", args=[matrix_world["feed_token"]]))
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    entries = AccessLog.objects.filter(actor=lena, object_type="calendar_feed", action="read")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.subject_employee_id == matrix_world["ola_employee"]
    assert entry.purpose == "calendar feed"
    mine = Client(HTTP_ACCEPT_LANGUAGE="nb")
    mine.force_login(matrix_world["users"]["ola"])
    html = mine.get(reverse("followup:audit:mine")).content.decode()
    assert "Kalenderen med kommende oppfølging" in html
