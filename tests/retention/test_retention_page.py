"""HR's page of what retention has made due: in Norwegian, HR's scope only, never the NAV side,
and the names shown are in the access log."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.audit.models import AccessLog
from naervaer.org.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db
D = datetime.date


def _page(world, username: str):
    client = Client()
    client.force_login(world["users"][username])
    return client.get(reverse("privacy:retention"), HTTP_ACCEPT_LANGUAGE="nb")


def test_hr_sees_the_cases_and_people_due_in_norwegian(old_world):
    response = _page(old_world, "hr")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Til sletting" in html
    assert "8 saker skal slettes" in html and "3 personer skal anonymiseres" in html
    # Ola's case closed 1 April 2021, due three years later; Siri left on 31 December 2022.
    assert "01.03.2021–26.03.2021" in html and "01.04.2021" in html and "01.04.2024" in html
    assert "Siri Test" in html and "31.12.2022" in html and "31.12.2025" in html
    assert "Oppfølgingsdokumentasjon slettes 3 år etter at saken ble avsluttet." in html
    # The running case is not due, and nothing of the NAV side is shown.
    assert "02.11.2026" not in html
    assert "diagnos" not in html.lower() and "L03" not in html
    shown = set(
        AccessLog.objects.filter(purpose="retention overview").values_list(
            "subject_employee_id", flat=True
        )
    )
    assert old_world["employees"]["ola"].pk in shown and old_world["employees"]["siri"].pk in shown


def test_an_adviser_for_one_sector_sees_only_that_sector(old_world):
    RoleAssignment.objects.filter(user=old_world["users"]["hr"]).update(
        unit=old_world["units"]["health"]
    )
    html = _page(old_world, "hr").content.decode()
    assert "Siri Test" not in html  # she worked at the school
    assert "Ola Test" in html
    assert "2 personer skal anonymiseres" in html


def test_the_page_is_for_hr_only(old_world):
    for username in ("ola", "lena", "sjef", "bht", "nav", "analytiker", "sysadmin"):
        assert _page(old_world, username).status_code == 403, username
    menu = _page(old_world, "hr").content.decode()
    assert reverse("privacy:retention") in menu
    assert RoleAssignment.objects.filter(role=Role.HR).count() == 1
