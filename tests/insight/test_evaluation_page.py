"""The intervention evaluation page: roles, field errors from the spec, the engine's estimates, PDF and JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pandas as pd
import pytest
from pypdf import PdfReader

from naervaer.insight import statistics
from naervaer.insight.evaluation_views import standardised_rows
from naervaer.org.models import Unit
from naervaer.stats.evaluation import InterventionSpec, evaluate

pytestmark = pytest.mark.django_db

URL = "/innsikt/evaluering/"
NAME = "Tettere oppfølging i omsorg"


def _params(demo, **changes) -> dict:
    """Nursing homes (two sites) against home care (two sites): four clusters, a difference-in-differences."""
    units = dict(Unit.objects.filter(organisation=demo).values_list("name", "pk"))
    params = {
        "name": NAME,
        "target_units": [units["Sykehjemstjenesten"]],
        "reference": "chosen",
        "reference_units": [units["Hjemmetjenesten"]],
        "reference_count": 3,
        "before_start": "2022-01-01",
        "active_start": "2024-01-01",
        "active_end": "2024-12-31",
        "after_end": "2025-12-31",
        "indicators": ["absence_percent", "spell_length"],
    }
    params.update(changes)
    return params


def _query(params: dict) -> str:
    return urlencode(params, doseq=True)


def test_form_renders_for_hr_and_analyst_and_is_refused_to_other_roles(demo, client, login) -> None:
    for username in ("hr", "analytiker"):
        login(username)
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="target_units"' in html and 'name="after_end"' in html
        assert "Helse og omsorg › Sykehjemstjenesten" in html  # units labelled by their path
        assert response.context.get("result") is None
        assert (
            'href="/innsikt/evaluering/"' in client.get("/innsikt/").content.decode()
        )  # menu entry
    query = _query(_params(demo))
    for username in ("leder", "verneombud", "ansatt", "admin"):
        login(username)
        for path in (URL, f"{URL}rapport.pdf?{query}", f"{URL}estimater.json?{query}"):
            assert client.get(path).status_code == 403, (username, path)


def test_periods_out_of_order_show_a_field_error_and_no_result(demo, client, login) -> None:
    login("hr")
    response = client.get(f"{URL}?{_query(_params(demo, active_end='2023-06-30'))}")
    assert response.status_code == 200
    form = response.context["form"]
    assert "periods out of order" in " ".join(form.errors["active_end"])
    assert response.context.get("result") is None
    html = response.content.decode()
    field = html[html.index('id="field-active_end"') : html.index('id="field-after_end"')]
    assert "periods out of order" in field  # shown next to the field it concerns
    assert 'id="table-effects"' not in html


def test_missing_target_unit_shows_a_field_error(demo, client, login) -> None:
    login("analytiker")
    params = _params(demo)
    del params["target_units"]
    response = client.get(f"{URL}?{_query(params)}")
    assert response.context["form"].errors["target_units"] == [
        "Velg minst én målenhet."
    ]  # nb is the default
    assert 'id="table-effects"' not in response.content.decode()


def test_data_horizon_error_from_the_evaluation_lands_on_its_field(demo, client, login) -> None:
    """The demo's absences end 2026-10-31; evaluate() refuses later months, and the form says so at after_end."""
    login("hr")
    response = client.get(f"{URL}?{_query(_params(demo, after_end='2027-06-30'))}")
    assert "after the last recorded absence" in " ".join(
        response.context["form"].errors["after_end"]
    )
    assert response.context.get("result") is None


def test_valid_spec_shows_the_engines_estimates_verdicts_and_charts(demo, client, login) -> None:
    login("hr")
    params = _params(demo)
    response = client.get(f"{URL}?{_query(params)}")
    assert response.status_code == 200
    spec = InterventionSpec.from_mapping(
        {k: v for k, v in params.items() if k != "reference_count"}
    )
    expected = evaluate(statistics.snapshot(demo), spec)
    rows = response.context["effects"]
    assert len(rows) == len(expected.estimates)
    shown = [(r.primary, (r.estimate, r.ci_low, r.ci_high)) for r in rows]
    for est in expected.estimates:
        factor = (
            100.0 if est.unit_of_estimate == "relative change" else 1.0
        )  # relative changes shown in percent
        numbers = pytest.approx(
            (est.estimate * factor, est.ci_low * factor, est.ci_high * factor), rel=1e-6
        )
        assert any(primary == est.primary and values == numbers for primary, values in shown), est
    assert all(r.primary for r in rows[: len(expected.primary())])  # basis of the conclusion first
    html = response.content.decode()
    did = next(
        e for e in expected.primary() if e.indicator == "absence_percent" and e.phase == "active"
    )
    assert f"{did.estimate:.2f}".replace(".", ",") in html  # nb decimal comma
    # The conclusion in bokmål (the default language), not in English.
    for sentences in expected.verdicts.values():
        assert sentences["nb"] in html
        assert sentences["en"] not in html
    assert 'id="table-standardised"' in html and "prosentpoeng" in html
    assert html.count('<svg role="img" aria-label=') == 4  # two series, effects, funnel
    assert not re.search(
        r"<svg[\s\S]*?\sstyle=", html
    )  # nothing the CSP style-src 'self' would block
    assert f"rapport.pdf?{response.context['query']}" in html.replace("&amp;", "&")


def test_english_users_get_the_english_conclusion(demo, client, login) -> None:
    login("analytiker")
    response = client.get(
        f"{URL}?{_query(_params(demo, indicators=['absence_percent']))}", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    verdicts = response.context["verdicts"]
    assert verdicts and all(
        "cannot be told apart from chance" in v or "95 % CI" in v for v in verdicts
    )
    assert all(v in html for v in verdicts)


def test_pdf_and_json_downloads_hold_the_same_evaluation(demo, client, login) -> None:
    login("analytiker")
    query = _query(_params(demo, indicators=["absence_percent"]))
    pdf = client.get(f"{URL}rapport.pdf?{query}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert NAME in text
    records = json.loads(client.get(f"{URL}estimater.json?{query}").content)
    primary = [r for r in records if r["primary"]]
    assert {r["phase"] for r in primary} == {"active", "after"}
    assert all(r["indicator"] == "absence_percent" and r["verdict_nb"] for r in primary)
    bad = client.get(f"{URL}rapport.pdf?{_query(_params(demo, active_end='2023-06-30'))}")
    assert bad.status_code == 400 and "active_end" in bad.content.decode()


def test_standardised_phase_of_a_group_with_fewer_than_five_persons_stays_masked() -> None:
    """Largest monthly headcount in the phase decides, as for four-quarter figures (DOMAIN.md §9);
    the engine blanks the figures (``evaluate._mask_standardised``) and the page shows them masked."""
    from naervaer.stats.evaluation.evaluate import _mask_standardised, _small_groups

    persons = pd.DataFrame(
        {
            "group": ["target", "target", "reference", "reference", "reference"],
            "month": [
                dt.date(2020, 1, 1),
                dt.date(2020, 2, 1),
                dt.date(2020, 1, 1),
                dt.date(2021, 1, 1),
                dt.date(2021, 2, 1),
            ],
            "persons": [3, 12, 9, 4, 2],
        }
    )
    spec = SimpleNamespace(
        phase_of_month=lambda m: "before" if m.year == 2020 else "after",
        post_phases=("after",),
    )
    small = _small_groups(persons, spec)
    assert small == {("reference", "after"), ("target", "after")}  # no target month after
    standardised = pd.DataFrame(
        {
            "indicator": ["absence_percent"] * 2,
            "group": ["target", "reference"],
            "phase": ["before", "after"],
            "crude": [7.5, 9.25],
            "standardised": [7.0, 9.0],
            "crude_change": [0.0, 1.5],
            "standardised_change": [0.0, 1.0],
            "composition_effect": [0.0, 0.5],
        }
    )
    rows = standardised_rows(
        SimpleNamespace(series=None, standardised=_mask_standardised(standardised, small)), "en"
    )
    assert [r["masked"] for r in rows] == [False, True]
    assert rows[0]["crude"] == 7.5 and rows[0]["indicator"] == "Absence percent"
    assert all(
        rows[1][key] is None
        for key in (
            "crude",
            "standardised",
            "crude_change",
            "standardised_change",
            "composition_effect",
        )
    )
