"""Anonymity on the stored data (issue #16, "Done when"): after a round, nothing in the database
joins an answer to a person or an invitation, and a group under the threshold is suppressed in
every page and export."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.db import connection
from openpyxl import load_workbook
from pypdf import PdfReader

from naervaer.org.models import Employee
from naervaer.prevention import survey_services
from naervaer.prevention.models import Invitation, Response

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _closed(open_round):
    answer_all(open_round, comment=lambda n: f"kommentar {n}" if n % 2 else "")
    survey_services.round_close(survey=open_round)
    return open_round


def test_no_table_or_column_joins_an_answer_to_a_person_or_invitation(open_round):
    _closed(open_round)
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        relations = connection.introspection.get_relations(cursor, table)
    assert columns == {"id", "round_id", "unit_id", "bands", "values", "comment"}
    pointed_at = {target for _column, (target_column, target) in relations.items()}
    assert pointed_at == {"prevention_surveyround", "org_unit"}
    # No other table points at a response, and the invitation points at no response.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is Response and model is not Response:
                assert field.auto_created, f"{model.__name__}.{field.name} points at a response"
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id",
        "round",
        "employee",
        "unit",
        "email",
        "nonce",
        "token_hash",
        "used",
        "sent_on",
        "reminded_on",
        "reminders",
    }


def test_the_stored_answers_hold_nothing_about_who_answered(open_round, world):
    _closed(open_round)
    people = Employee.objects.all()
    names = {e.first_name for e in people} | {e.national_id for e in people}
    ids = {str(e.pk) for e in people} | {str(i.pk) for i in Invitation.objects.all()}
    tokens = {i.token_hash for i in Invitation.objects.all()} | {
        i.nonce for i in Invitation.objects.all()
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")
        rows = cursor.fetchall()
    assert len(rows) == 23
    for row in rows:
        text = " ".join(map(str, row))
        assert not any(name in text for name in names)
        assert not any(token in text for token in tokens)
        bands = Response.objects.get(pk=row[0]).bands
        assert set(bands) <= {"age"} and not (set(map(str, bands.values())) & ids)
    assert Invitation.objects.filter(used=True).count() == 23


@pytest.mark.postgres
def test_closing_rewrites_the_rows_so_no_row_version_dates_an_answer(open_round):
    """Written in one transaction, an invitation and its response share ``xmin``; after the close
    every response of the round shares one, and every invitation another."""
    _closed(open_round)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {Response._meta.db_table} WHERE round_id = %s",
            [open_round.pk],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {Invitation._meta.db_table} WHERE round_id = %s",
            [open_round.pk],
        )
        assert cursor.fetchone()[0] == 1


def _login(client, user):
    client.force_login(user)


def test_a_small_unit_is_suppressed_on_the_page_and_in_every_export(client, open_round, world):
    _closed(open_round)
    _login(client, world["users"]["hr"])
    base = f"/forebygging/undersokelser/{open_round.pk}/enhet/"
    small = world["units"]["homecare"].pk
    page = client.get(f"{base}{small}/")
    assert page.status_code == 200
    assert page.context["group"].shown is False
    assert page.context["group"].factors.rows == []
    assert "are not shown" in page.content.decode()
    health = world["units"]["health"].pk
    # Health's list of units below shows Hjemmetjeneste without a figure, in every format.
    listing = client.get(f"{base}{health}/").context["group"].units.rows
    row = next(r for r in listing if r["unit_id"] == small)
    assert row["masked"] and row["respondents"] is None and row["conflict_resolution"] is None
    csv_text = client.get(f"{base}{health}/units.csv").content.decode("utf-8-sig")
    care_line = next(line for line in csv_text.splitlines() if line.startswith("Hjemmetjeneste"))
    assert set(care_line.split(";")[1:-1]) == {""}
    book = load_workbook(io.BytesIO(client.get(f"{base}{health}/units.xlsx").content))
    care_row = next(r for r in book.active.iter_rows(values_only=True) if r[0] == "Hjemmetjeneste")
    assert all(v is None for v in care_row[1:-1])
    pdf = PdfReader(io.BytesIO(client.get(f"{base}{small}/rapport.pdf").content))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Conflict resolution" not in text  # no factor row of a suppressed group
    assert client.get(f"{base}{small}/factors.csv").content.decode("utf-8-sig").count("\n") == 1
