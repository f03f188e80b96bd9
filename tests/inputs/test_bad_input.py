"""Inputs that once crashed with a traceback (issue #11) now get one clear message, exit status 2
or a 400, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from naervaer.cli import main
from naervaer.insight.models import ReferenceFigure
from naervaer.org import services
from naervaer.org.models import Unit
from naervaer.prevention.models import ExternalResult, Instrument
from tests.inputs.conftest import upload

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
LONG = "x" * 200_000
DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_TOML = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"


def _rules(tmp_path: Path, capsys, text: str) -> tuple[int, str]:
    path = tmp_path / "request.json"
    path.write_text(text, encoding="utf-8")
    code = main(["rules", "evaluate", str(path)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-01", "0001-01-01"])
def test_rules_dates_outside_the_calendar_exit_2(tmp_path, capsys, day):
    request = {
        "person": {"birth_date": "1980-01-01"},
        "today": day,
        "days": [{"from": day, "to": day, "kind": "sick"}],
    }
    code, err = _rules(tmp_path, capsys, json.dumps(request))
    assert code == 2
    assert f"today: {day} is outside the dates the rules handle, 1900-01-01 to 2199-12-31" in err


def test_rules_deeply_nested_json_exits_2(tmp_path, capsys):
    code, err = _rules(tmp_path, capsys, DEEP_JSON)
    assert code == 2 and "nested too deeply" in err and "Traceback" not in err


def test_evaluate_checks_the_output_folder_before_computing(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text("name = 'x'\n", encoding="utf-8")
    missing = tmp_path / "nope" / "report.pdf"
    # The input folder does not exist either: the output folder is what is reported, first.
    code = main(
        [
            "evaluate",
            "--input",
            str(tmp_path / "no-input"),
            "--spec",
            str(spec),
            "--out",
            str(missing),
        ]
    )
    assert code == 2
    assert (
        capsys.readouterr().err.strip()
        == f"naervaer evaluate: the folder {missing.parent} does not exist"
    )


def test_evaluation_spec_nested_too_deeply_exits_2(tmp_path):
    from naervaer.stats.evaluation import InterventionSpec, SpecError

    with pytest.raises(SpecError, match="nested too deeply"):
        InterventionSpec.from_toml(DEEP_TOML)


@pytest.mark.django_db
def test_register_import_with_a_200000_character_cell_exits_2(tmp_path, capsys):
    services.organisation_create(name="Eksempel kommune", org_number="974760673")
    path = tmp_path / "units.csv"
    path.write_text(
        'external_id;name;level;valid_from\nK;"' + LONG + '";organisation;2020-01-01\n',
        encoding="utf-8",
    )
    assert main(["import", "units", str(path)]) == 2
    err = capsys.readouterr().err
    assert "linje 2: En celle er lengre enn 131072 tegn" in err
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_an_invalid_date_is_reported_once(tmp_path, capsys):
    organisation = services.organisation_create(name="Eksempel kommune", org_number="974760673")
    from naervaer.org.importing import import_units

    import_units(EXAMPLES / "units.csv", organisation)
    text = (EXAMPLES / "employees.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0].split(";"), text[1].split(";")
    first[header.index("start_date")] = "2021-02-30"
    first[header.index("position_from")] = ""
    path = tmp_path / "employees.csv"
    path.write_text("\n".join([text[0], ";".join(first)]) + "\n", encoding="utf-8")
    assert main(["import", "employees", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("2021-02-30 er ikke en dato") == 1, err


@pytest.mark.django_db
def test_web_uploads_with_a_200000_character_cell_are_a_400(hr, client):
    reference = f'level;code;label;quarter;absence_percent\ncountry;NO;"{LONG}";2025-Q1;6,8\n'
    response = upload(client, "/innsikt/referanser/", "ssb.csv", reference)
    assert response.status_code == 400
    assert "ssb.csv, row 2: a cell is longer than 131,072 characters" in response.content.decode()
    assert not ReferenceFigure.objects.exists()
    tenfactor = f'enhet;periode;faktor;skår;svar\nSkole;2025;"{LONG}";4,2;23\n'
    response = upload(client, "/forebygging/import/", "10f.csv", tenfactor, source="10-FAKTOR")
    assert response.status_code == 400
    assert "10f.csv: line 2: a cell is longer than 131,072 characters" in response.content.decode()
    assert not ExternalResult.objects.exists()


@pytest.mark.django_db
def test_a_questionnaire_nested_too_deeply_is_a_400(hr, client):
    before = Instrument.objects.count()
    response = upload(client, "/forebygging/sporreskjema/", "skjema.toml", DEEP_TOML)
    assert response.status_code == 400 and "nested too deeply" in response.content.decode()
    assert Instrument.objects.count() == before
