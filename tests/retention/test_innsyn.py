"""Innsyn: the employee downloads everything held about them, as JSON and as PDF, from their own
page; nothing about anyone else comes along, and the download is in the access log."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from naervaer.audit.models import AccessLog
from naervaer.privacy.innsyn_pdf import LABELS

pytestmark = pytest.mark.django_db


def _client(world, username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(world["users"][username])
    return client


def _json(world, username: str) -> dict:
    response = _client(world, username).get(reverse("privacy:mine_json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_json_holds_everything_about_the_employee(old_world):
    data = _json(old_world, "ola")
    ola = old_world["employees"]["ola"]
    assert data["person"]["national_id"] == ola.national_id
    assert data["person"]["user_account"]["username"] == "ola"
    [employment] = data["employments"]
    assert (employment["unit"], employment["nearest_leader"]) == ("Sykehjem", "Lena Test")
    assert employment["position_percent"] == [{"from": "2020-01-01", "percent": 100.0}]
    notes = {n["start_date"]: n for n in data["absence"]["sick_notes"]}
    assert notes["2021-03-01"]["work_related_reason"] == "lifting"
    assert notes["2026-11-02"]["note_to_employer"] == "rest"
    assert {d["icpc2_code"] for d in data["absence"]["nav_diagnoses"]} == {"L03", "P76"}
    cases = {c["start"]: c for c in data["followup_cases"]}
    assert set(cases) == {"2021-03-01", "2026-11-02"}
    old = cases["2021-03-01"]
    assert old["closed_on"] == "2021-04-01" and old["meetings"][0]["minutes"] == "Back soon"
    # Codes come in words, in the reader's language.
    assert old["plan"]["tasks"] == [{"task": "Desk", "capacity": "kan utføre"}]
    states = {"Forfalt", "Forfaller", "Kommende", "Utført", "Frafalt", "Ikke aktuell"}
    assert {m["state"] for m in old["milestones"]} <= states
    assert old["routine"] == "Lovens minstekrav"
    assert old["milestones"] and old["history"]
    assert any(e["purpose"] for e in data["access_log"])


def test_the_json_holds_nothing_about_anyone_else(old_world):
    text = json.dumps(_json(old_world, "ola"), ensure_ascii=False)
    others = [e for name, e in old_world["employees"].items() if name not in ("ola", "lena")]
    others += [e.employee for e in old_world["others"] + old_world["leavers"]]
    for employee in others:
        assert employee.national_id not in text
        assert employee.first_name not in text, employee.first_name
    assert old_world["employees"]["lena"].national_id not in text
    # Kari sees her own, and not Ola's.
    kari = json.dumps(_json(old_world, "kari"), ensure_ascii=False)
    assert old_world["employees"]["kari"].national_id in kari
    assert "lifting" not in kari and old_world["employees"]["ola"].national_id not in kari


def test_the_download_is_logged(old_world):
    before = AccessLog.objects.filter(object_type="personal_data").count()
    _json(old_world, "ola")
    _client(old_world, "ola").get(reverse("privacy:mine_pdf"))
    entries = AccessLog.objects.filter(object_type="personal_data")
    assert entries.count() == before + 2
    assert set(entries.values_list("action", "subject_employee_id")) == {
        ("export", old_world["employees"]["ola"].pk)
    }


def test_the_pdf_renders_in_norwegian_with_the_name(old_world):
    response = _client(old_world, "ola").get(reverse("privacy:mine_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ola Test" in text
    assert "Alt som er lagret om deg" in text and "Oppfølgingssaker" in text
    assert "Back soon" in text and "01.04.2021" in text and "L03" in text


def test_every_key_of_the_json_has_a_label_for_the_pdf(old_world):
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(_json(old_world, "ola"))
    assert keys - set(LABELS) - {"about"} == set()


def test_the_page_offers_both_downloads_to_employees_only(old_world):
    html = _client(old_world, "ola").get(reverse("privacy:mine")).content.decode()
    assert "Mine opplysninger" in html
    assert reverse("privacy:mine_pdf") in html and reverse("privacy:mine_json") in html
    for username in ("hr", "nav", "sysadmin"):
        assert _client(old_world, username).get(reverse("privacy:mine")).status_code == 403
        assert _client(old_world, username).get(reverse("privacy:mine_json")).status_code == 403
