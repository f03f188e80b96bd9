"""The access log as people see it: the employee's "who has seen my case" names people, their
roles and the purpose in Norwegian; HR's search never shows the NAV side."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.absence import services as absence
from naervaer.audit import services as audit
from naervaer.audit.models import AccessLog
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import sync
from tests.followup.conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db


def _client(world, username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world["users"][username])
    return client


@pytest.fixture
def seen_case(world):
    note = sick_note(world["employments"]["ola"], SICK_FROM, datetime.date(2026, 12, 31))
    absence.diagnosis_record(actor=world["users"]["nav"], sick_note_period=note, icpc2_code="L03")
    [case] = sync.cases_refresh(world["employments"]["ola"], today=datetime.date(2026, 10, 15))
    _client(world, "lena").get(reverse("followup:case", args=[case.pk]))
    _client(world, "hr").get(reverse("followup:case", args=[case.pk]))
    audit.record_reads(world["users"]["nav"], "followup_case", [case.employee_id], "NAV case list")
    return case


def test_who_has_seen_my_case_names_people_roles_and_purpose_in_norwegian(world, seen_case):
    world["users"]["hr"].first_name, world["users"]["hr"].last_name = "Hanne", "Haugen"
    world["users"]["hr"].save()
    _client(world, "hr").get(reverse("followup:case", args=[seen_case.pk]))
    html = _client(world, "ola").get(reverse("followup:audit:mine")).content.decode()
    assert "Lena Test" in html and "nærmeste leder" in html
    assert "Hanne Haugen" in html and "HR-rådgiver" in html
    assert "Oppfølging av saken din" in html and "Lest: oppfølgingssaken din" in html
    assert "NAVs oppfølging" in html and "NAV-veileder" in html
    for raw in ("lena", ">hr<", "followup_case", "case page", "NAV case list", "diagnosis", "L03"):
        assert raw not in html, raw
    assert "arbeidstaker" not in html  # Lena read as leader, not as an employee


def test_entries_without_a_known_purpose_still_read_in_norwegian(world, seen_case):
    audit.record(world["users"]["hr"], "update", "something_new", 1, seen_case.employee_id, "x y")
    html = _client(world, "ola").get(reverse("followup:audit:mine")).content.decode()
    assert "Endret: opplysninger om deg" in html and "Oppfølging av fraværet ditt" in html
    assert "something_new" not in html and "x y" not in html


def test_an_unnamed_user_is_not_shown_by_username(world, seen_case):
    html = _client(world, "ola").get(reverse("followup:audit:mine")).content.decode()
    assert "navn ikke registrert" in html  # the hr and nav users have no name in this world
    assert ">nav<" not in html


def test_hr_search_never_shows_the_nav_side(world, seen_case):
    ola = world["employees"]["ola"]
    nav_entries = AccessLog.objects.filter(actor=world["users"]["nav"], subject_employee_id=ola.pk)
    assert {e.object_type for e in nav_entries} == {"diagnosis", "followup_case"}
    response = _client(world, "hr").get(reverse("followup:audit:search"), {"employee_id": ola.pk})
    rows = response.context["rows"]
    assert rows and all(row.actor_username != "nav" for row in rows)
    html = response.content.decode()
    assert "diagnosis" not in html and "NAV case list" not in html


def test_a_case_closed_for_nobody_leaves_the_log_intact(world, seen_case):
    """Deleting the case (or the person) keeps the log: it refers to the person by a plain id."""
    count = AccessLog.objects.count()
    FollowupCase.objects.filter(pk=seen_case.pk).delete()
    assert AccessLog.objects.count() == count
