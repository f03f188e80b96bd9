"""Pages and exports against the engine for the demo municipality; masking; roles; targets; references."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from naervaer.absence.snapshot import canonical_tables
from naervaer.audit.models import AccessLog
from naervaer.insight import statistics
from naervaer.insight.models import ReferenceFigure, Target
from naervaer.org import services
from naervaer.org.models import Employee, RoleAssignment, Unit
from naervaer.stats import compute, present_percent

pytestmark = pytest.mark.django_db


def _engine(organisation, kind: str):
    """The engine's answer straight from a fresh snapshot (no insight code in between)."""
    span = statistics.window(organisation)
    return compute(
        canonical_tables(organisation),
        by=("unit", kind),
        rollup=True,
        start=span.first,
        end=span.end_of(kind),
    )


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _nb(value: Decimal) -> str:
    return str(value).replace(".", ",")


def test_unit_page_and_exports_show_the_engines_figures(demo, client, login) -> None:
    login("hr")
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    response = client.get(f"/innsikt/enhet/{root.pk}/")
    assert response.status_code == 200
    page = response.context["page"]
    engine = _engine(demo, "month")
    expected = engine[engine["unit_id"] == root.pk].set_index("period")
    assert len(page.months.rows) == 60
    for row in page.months.rows:
        source = expected.loc[row["period"]]
        assert row["absence_percent"] == present_percent(source["absence_percent"])
        assert row["self_certified_percent"] == present_percent(source["self_certified_percent"])
        assert row["persons"] == int(source["persons"])
    # Same month last year is the engine's figure twelve rows earlier.
    assert page.months.rows[-1]["last_year_percent"] == page.months.rows[-13]["absence_percent"]
    latest = page.months.rows[-1]
    html = response.content.decode()
    assert f">{_nb(latest['absence_percent'])}<" in html
    assert 'role="img" aria-label="' in html  # the chart's text alternative
    # Quarters: percent and trend from the engine, duration classes add up to the total.
    quarters = _engine(demo, "quarter")
    q_expected = quarters[quarters["unit_id"] == root.pk].set_index("period")
    for row in page.quarters.rows:
        assert row["absence_percent"] == present_percent(
            q_expected.loc[row["period"]]["absence_percent"]
        )
    last_q = page.quarters.rows[-1]
    assert last_q["trend_pp"] == present_percent(q_expected.loc[last_q["period"]]["trend_pp"])
    classes = sum(q_expected.loc[last_q["period"]][f"class_{c}_percent"] for c in "ABCDEF")
    assert abs(classes - q_expected.loc[last_q["period"]]["absence_percent"]) < 1e-9
    # CSV and XLSX carry exactly the page's figures.
    rows = _csv_rows(client.get(f"/innsikt/enhet/{root.pk}/months.csv"))
    by_month = {r[0]: r for r in rows[1:]}
    header = rows[0]
    assert by_month[latest["period"]][
        header.index("Fravær %") if "Fravær %" in header else 6
    ] == _nb(latest["absence_percent"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"/innsikt/enhet/{root.pk}/quarters.xlsx").content)
    ).active
    xlsx = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(xlsx[last_q["period"]][2])) == last_q["absence_percent"]
    pdf = client.get(f"/innsikt/enhet/{root.pk}/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def _small_unit(demo) -> Unit:
    """A new site with 3 employees, one of them sick: every cell of it is masked."""
    parent = Unit.objects.get(organisation=demo, parent__isnull=True)
    unit = services.unit_create(
        organisation=demo,
        name="Lille avdeling",
        level="sector",
        parent=parent,
        valid_from=dt.date(2020, 1, 1),
    )
    people = Employee.objects.filter(organisation=demo).order_by("pk")[:3]
    from naervaer.absence import services as absence_services

    for index, employee in enumerate(people):
        employment = services.employment_create(
            employee=employee, unit=unit, start_date=dt.date(2022, 1, 1), position_percent=100
        )
        if index == 0:
            absence_services.sick_note_period_register(
                actor=None,
                employment=employment,
                start_date=dt.date(2025, 3, 3),
                end_date=dt.date(2025, 3, 28),
                note_type="full",
                received_on=dt.date(2025, 3, 3),
            )
    return unit


def test_small_units_are_masked_on_page_and_in_every_export(demo, client, login) -> None:
    login("hr")
    client.get(
        f"/innsikt/enhet/{Unit.objects.get(organisation=demo, parent__isnull=True).pk}/"
    )  # warm the cache
    unit = _small_unit(demo)  # register signals bump the data version: the new unit must appear
    response = client.get(f"/innsikt/enhet/{unit.pk}/")
    page = response.context["page"]
    assert page.months.rows and all(row["masked"] for row in page.months.rows)
    assert all(
        row["absence_percent"] is None and row["persons"] is None for row in page.months.rows
    )
    assert (
        "fewer than 5 persons" in response.content.decode()
        or "færre enn 5 personer" in response.content.decode()
    )
    unmasked = compute(canonical_tables(demo), by=("unit", "month"), rollup=True, unmasked=True)
    march = unmasked[(unmasked["unit_id"] == unit.pk) & (unmasked["period"] == "2025-03")].iloc[0]
    assert march["lost_workdays"] > 0  # there is something to hide
    for fmt in ("csv", "xlsx"):
        body = client.get(f"/innsikt/enhet/{unit.pk}/months.{fmt}").content
        if fmt == "csv":
            rows = _csv_rows(type("R", (), {"content": body}))
            march_row = next(r for r in rows if r[0] == "2025-03")
            assert all(cell == "" for cell in march_row[1:-1]) and march_row[-1]
        else:
            sheet = load_workbook(io.BytesIO(body)).active
            march_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "2025-03")
            assert all(cell is None for cell in march_row[1:-1]) and march_row[-1]


def test_who_sees_which_unit(demo, client, login) -> None:
    leader = login("enhetsleder")
    own = RoleAssignment.objects.get(user=leader, role="unit_leader").unit
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    child = Unit.objects.filter(parent=own).first()
    sibling = Unit.objects.filter(parent=root).exclude(pk=own.pk).first()
    response = client.get(f"/innsikt/enhet/{own.pk}/")
    assert response.status_code == 200
    assert {r["name"] for r in response.context["page"].subunits.rows} == set(
        Unit.objects.filter(parent=own).values_list("name", flat=True)
    )
    assert client.get(f"/innsikt/enhet/{child.pk}/").status_code == 200  # drill down
    assert client.get(f"/innsikt/enhet/{root.pk}/").status_code == 403
    assert client.get(f"/innsikt/enhet/{sibling.pk}/").status_code == 403
    assert client.get("/innsikt/oppfolgingsliste/").status_code == 403
    leader_rows = response.context["page"].quarters.rows
    # Safety and union reps see the same masked figures, never the attention list or the overview.
    for rep in ("verneombud", "tillitsvalgt"):
        client.logout()
        login(rep)
        seen = client.get(f"/innsikt/enhet/{own.pk}/").context["page"].quarters.rows
        assert seen == leader_rows
        assert client.get("/innsikt/oppfolgingsliste/").status_code == 403
        assert client.get("/innsikt/kostnader/").status_code == 403
    client.logout()
    login("ansatt")
    assert client.get("/innsikt/").status_code == 403
    assert client.get(f"/innsikt/enhet/{own.pk}/").status_code == 403


def test_attention_list_is_for_hr_and_every_view_is_logged(demo, client, login) -> None:
    login("analytiker")
    assert client.get("/innsikt/oppfolgingsliste/").status_code == 403
    client.logout()
    hr = login("hr")
    response = client.get("/innsikt/oppfolgingsliste/?lost_days=30&recurring=on")
    assert response.status_code == 200
    listed = response.context["listed"]
    assert listed, "the demo municipality has people with 30+ lost workdays in a year"
    assert all(item.recurring or item.lost_workdays >= 30 for item in listed)
    logged = AccessLog.objects.filter(actor=hr, object_type="attention_list")
    assert sorted(logged.values_list("subject_employee_id", flat=True)) == sorted(
        item.employee_id for item in listed
    )
    assert all(entry.purpose for entry in logged)
    html = response.content.decode()
    assert str(response.context["purpose"]) in html
    stricter = client.get("/innsikt/oppfolgingsliste/?lost_days=120").context[
        "listed"
    ]  # recurring unticked
    assert all(item.lost_workdays >= 120 for item in stricter)
    assert {i.employee_id for i in stricter} <= {i.employee_id for i in listed}


def test_unit_leader_sets_a_target_and_sees_the_monthly_status(demo, client, login) -> None:
    leader = login("enhetsleder")
    own = RoleAssignment.objects.get(user=leader, role="unit_leader").unit
    response = client.post(
        f"/innsikt/enhet/{own.pk}/mal/",
        {"target_percent": "6,9", "first_month": "2025-01", "last_month": "2026-12"},
    )
    assert response.status_code == 302
    target = Target.objects.get(unit=own)
    assert target.target_percent == Decimal("6.9")
    page = client.get(f"/innsikt/enhet/{own.pk}/").context["page"]
    for row in page.months.rows:
        if row["period"] >= "2025-01" and not row["masked"]:
            assert row["target_status"] == (
                "on_track" if row["absence_percent"] <= Decimal("6.9") else "off_track"
            )
        elif row["period"] < "2025-01":
            assert row["target_status"] == ""
    bad = client.post(
        f"/innsikt/enhet/{own.pk}/mal/",
        {"target_percent": "6.9", "first_month": "2026-05", "last_month": "2026-01"},
    )
    assert bad.status_code == 302 and Target.objects.filter(unit=own).count() == 1
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    assert (
        client.post(
            f"/innsikt/enhet/{root.pk}/mal/",
            {"target_percent": "5", "first_month": "2025-01", "last_month": "2025-12"},
        ).status_code
        == 403
    )


def test_reference_import_and_comparison(demo, client, login) -> None:
    login("hr")
    bad = SimpleUploadedFile(
        "ssb.csv", b"level;code;label;quarter;absence_percent\ncountry;NO;Norge;2025-Q9;6,8\n"
    )
    response = client.post("/innsikt/referanser/", {"file": bad})
    assert (
        response.status_code == 400
        and "ssb.csv, row 2, column quarter" in response.content.decode()
    )
    assert not ReferenceFigure.objects.exists()
    good = SimpleUploadedFile(
        "ssb.csv",
        b"level;code;label;quarter;absence_percent\ncountry;NO;Hele landet;2025-Q1;6,8\ncountry;NO;Hele landet;2025-Q2;0,1\n",
    )
    assert client.post("/innsikt/referanser/", {"file": good}).status_code == 302
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    quarters = {
        r["period"]: r
        for r in client.get(f"/innsikt/enhet/{root.pk}/?reference=country:NO")
        .context["page"]
        .quarters.rows
    }
    q1, q2 = quarters["2025Q1"], quarters["2025Q2"]
    assert q1["reference_percent"] == Decimal("6.8")
    expected = (
        "over"
        if q1["absence_percent"] > Decimal("7.48")
        else "under"
        if q1["absence_percent"] < Decimal("6.12")
        else "middle"
    )
    assert q1["comparison"] in (
        {"over": "over", "under": "under", "middle": "middle"}[expected],
        {"over": "over", "under": "under", "middle": "midt"}[expected],
    )
    assert q2["comparison"] == "over"  # any municipality is far above 0.1 %


def test_cost_per_lost_workday(demo, client, login) -> None:
    login("hr")
    assert (
        client.post(
            "/innsikt/kostnader/",
            {"occupation": "", "daily_salary": "2000", "social_cost_percent": "50"},
        ).status_code
        == 302
    )
    table = client.get("/innsikt/kostnader/").context["table"]
    engine = _engine(demo, "rolling4q")
    latest = engine[engine["period"] == engine["period"].iloc[-1]].set_index("unit_id")
    names = dict(Unit.objects.filter(organisation=demo).values_list("name", "pk"))
    shown = [r for r in table.rows if not r["masked"]]
    assert shown
    for row in shown:
        lost = latest.loc[names[row["name"]]]["lost_workdays"]
        # 2,000 NOK salary + 50 % social costs = 3,000 NOK per lost workday.
        assert row["cost"] == (Decimal(str(lost)) * 3000).quantize(Decimal("1"))
    for row in table.rows:
        if row["masked"]:
            assert row.get("cost") is None and row.get("lost_workdays") is None
