"""The administrator's screens: every register model is listed, and the admin refuses bad records
with the same validation as services and imports."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from naervaer.absence.models import SickNotePeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, employment):
    client.force_login(get_user_model().objects.create_superuser("root", password=None))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "org/organisation",
        "org/unit",
        "org/employee",
        "org/employment",
        "org/roleassignment",
        "absence/selfcertification",
        "absence/sicknoteperiod",
        "absence/holidayleave",
    ],
)
def test_changelists_render(admin_client, model):
    app, name = model.split("/")
    assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


def test_diagnosis_has_no_admin_page(admin_client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:absence_navdiagnosis_changelist")


def test_admin_refuses_invalid_graded_sick_note(admin_client, employment):
    form = {
        "employment": employment.pk,
        "start_date": "2024-03-04",
        "end_date": "2024-03-10",
        "note_type": "graded",
        "grade": "10",
        "received_on": "2024-03-05",
        "external_id": "",
        "work_related_reason": "",
        "note_to_employer": "",
        "treatment_days": "",
    }
    response = admin_client.post(reverse("admin:absence_sicknoteperiod_add"), form)
    assert response.status_code == 200  # the form again, with the error
    assert SickNotePeriod.objects.count() == 0
    errors = response.context["adminform"].form.errors
    assert "grade" in errors
    form["grade"] = "40"
    assert admin_client.post(reverse("admin:absence_sicknoteperiod_add"), form).status_code == 302
    assert SickNotePeriod.objects.get().start_date == datetime.date(2024, 3, 4)
