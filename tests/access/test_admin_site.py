"""The admin site: the administrator role manages the register and users, sees no absence content,
and every read of a person's data there is in the access log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from naervaer.audit.models import AccessLog
from naervaer.org.models import Unit
from tests.followup.conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db

REGISTER = ["org/organisation", "org/unit", "org/employee", "org/employment", "org/roleassignment"]


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


@pytest.mark.parametrize("model", [*REGISTER, "auth/user"])
def test_the_administrator_role_manages_the_register_and_users(world, model):
    app, name = model.split("/")
    client = _client(world, "sysadmin")  # has the role, is neither staff nor superuser
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "absence/sicknoteperiod",
        "absence/selfcertification",
        "absence/holidayleave",
        "absence/navdiagnosis",
        "followup/followupcase",
        "followup/meeting",
        "followup/plan",
        "followup/caseevent",
        "followup/milestone",
        "audit/accesslog",
    ],
)
def test_no_absence_content_in_the_admin_site(model):
    app, name = model.split("/")
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{app}_{name}_changelist")


def test_other_roles_are_kept_out(world):
    for username in ("hr", "lena", "ola", "bht", "nav", "analytiker"):
        response = _client(world, username).get(reverse("admin:org_employee_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], username


def test_reading_a_person_in_the_admin_is_audited(world):
    ola = world["employees"]["ola"]
    client = _client(world, "sysadmin")
    client.get(reverse("admin:org_employee_change", args=[ola.pk]))
    entry = AccessLog.objects.get(actor=world["users"]["sysadmin"], subject_employee_id=ola.pk)
    assert (entry.action, entry.object_type, entry.purpose) == (
        "read",
        "employee",
        "administration",
    )
    client.get(reverse("admin:org_employment_change", args=[world["employments"]["ola"].pk]))
    client.get(reverse("admin:auth_user_change", args=[world["users"]["ola"].pk]))
    assert AccessLog.objects.filter(subject_employee_id=ola.pk, action="read").count() == 3


def test_a_list_in_the_admin_logs_one_read_per_person_shown(world):
    _client(world, "sysadmin").get(reverse("admin:org_employee_changelist"))
    shown = set(
        AccessLog.objects.filter(actor=world["users"]["sysadmin"]).values_list(
            "subject_employee_id", flat=True
        )
    )
    assert shown == {e.pk for e in world["employees"].values()}


def test_changes_in_the_admin_are_audited_and_validated(world):
    client = _client(world, "sysadmin")
    kari = world["employees"]["kari"]
    form = {
        "organisation": world["org"].pk,
        "national_id": kari.national_id,
        "first_name": "Kari",
        "last_name": "Nordmann",
        "language": "nb",
        "external_id": "",
        "user": "",
    }
    response = client.post(reverse("admin:org_employee_change", args=[kari.pk]), form)
    assert response.status_code == 302
    assert AccessLog.objects.filter(subject_employee_id=kari.pk, action="update").exists()
    bad = {"organisation": world["org"].pk, "name": "Ny", "level": "site"}
    bad |= {"valid_from": "2024-03-10", "valid_to": "2024-03-01", "external_id": ""}
    before = Unit.objects.count()
    response = client.post(reverse("admin:org_unit_add"), bad)
    assert response.status_code == 200 and Unit.objects.count() == before
    assert response.context["adminform"].form.errors


def test_deleting_a_person_names_no_absence_that_goes_with_them(world):
    sick_note(world["employments"]["ola"], SICK_FROM, SICK_FROM, note_to_employer="light tasks")
    ola = world["employees"]["ola"]
    page = _client(world, "sysadmin").get(reverse("admin:org_employee_delete", args=[ola.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Ola Test" in text
    for word in ("sick", "Sick", "sykmeld", "light tasks", str(SICK_FROM.year)):
        assert word not in text, word


def test_the_menu_offers_administration_to_the_administrator_only(world):
    for username in ("sysadmin", "hr"):
        html = _client(world, username).get(reverse("home")).content.decode()
        assert (reverse("admin:index") in html) is (username == "sysadmin"), username
