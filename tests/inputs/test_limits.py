"""Input limits: register imports and web uploads over their size or row limit are refused with a
clear Norwegian message and nothing written; a huge file is batched, never a database error."""

from __future__ import annotations

from pathlib import Path

import pytest

from naervaer.absence.models import SelfCertification
from naervaer.cli import main
from naervaer.insight.models import ReferenceFigure
from naervaer.org import services
from naervaer.org.models import Unit
from naervaer.prevention.models import ExternalResult, Instrument
from tests.inputs.conftest import upload

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
REFERENCES = "level;code;label;quarter;absence_percent\n" + "".join(
    f"country;NO;Hele landet;2025-Q{q};6,{q}\n" for q in range(1, 5)
)
TENFACTOR = "enhet;periode;faktor;skår;svar\n" + "".join(
    f"Skole;{year};Mestringstro;4,2;23\n" for year in range(2020, 2025)
)


@pytest.fixture
def organisation(db):
    return services.organisation_create(name="Eksempel kommune", org_number="974760673")


def _import(capsys, table: str, path: Path) -> tuple[int, str]:
    code = main(["import", table, str(path), "--organisation", "974760673"])
    return code, capsys.readouterr().err


def test_register_import_over_the_row_limit_is_refused(organisation, settings, capsys):
    settings.NAERVAER_IMPORT_MAX_ROWS = 4
    code, err = _import(capsys, "units", EXAMPLES / "units.csv")
    assert code == 2
    assert "Filen har 5 datarader; høyst 4 importeres om gangen (NAERVAER_IMPORT_MAX_ROWS)" in err
    assert "units.csv ble ikke importert (ingenting ble lagret)" in err
    assert not Unit.objects.exists()
    settings.NAERVAER_IMPORT_MAX_ROWS = 5
    assert _import(capsys, "units", EXAMPLES / "units.csv")[0] == 0


def test_register_import_over_the_size_limit_is_refused(organisation, settings, capsys):
    settings.NAERVAER_IMPORT_MAX_BYTES = 100
    code, err = _import(capsys, "units", EXAMPLES / "units.csv")
    assert code == 2 and "(NAERVAER_IMPORT_MAX_BYTES)" in err and "Del den i mindre filer" in err
    assert not Unit.objects.exists()


def test_300000_absence_rows_are_looked_up_in_batches_and_refused_cleanly(
    organisation, tmp_path, capsys
):
    """Once "too many SQL variables": every row's ids go to the database in batches."""
    header = (EXAMPLES / "absences.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "absences.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for n in range(300_000):
            handle.write(f"S{n};E{n};self_certification;2024-01-15;2024-01-17;;;;;;\n")
    code, err = _import(capsys, "absences", path)
    assert code == 2
    assert "absences.csv ble ikke importert (ingenting ble lagret): 300000 feil." in err
    assert "linje 2, kolonne employment_external_id: Ukjent arbeidsforhold E0." in err
    assert "… og 299800 feil til." in err and len(err.splitlines()) == 202  # 200 listed
    assert not SelfCertification.objects.exists()


def test_reference_upload_over_the_limits_gets_a_form_error(hr, client, settings):
    settings.NAERVAER_UPLOAD_MAX_BYTES = 100
    response = upload(client, "/innsikt/referanser/", "ssb.csv", REFERENCES)
    assert response.status_code == 400
    assert "tas ikke imot" in response.content.decode()
    settings.NAERVAER_UPLOAD_MAX_BYTES, settings.NAERVAER_UPLOAD_MAX_ROWS = 10_000, 3
    response = upload(client, "/innsikt/referanser/", "ssb.csv", REFERENCES)
    assert response.status_code == 400
    assert "ssb.csv har 4 rader; høyst 3 tas imot om gangen" in response.content.decode()
    assert not ReferenceFigure.objects.exists()
    settings.NAERVAER_UPLOAD_MAX_ROWS = 4
    response = upload(client, "/innsikt/referanser/", "ssb.csv", REFERENCES)
    assert response.status_code == 302 and ReferenceFigure.objects.count() == 4


def test_survey_uploads_over_the_limits_get_a_form_error(hr, client, settings):
    settings.NAERVAER_UPLOAD_MAX_ROWS = 4
    response = upload(client, "/forebygging/import/", "10f.csv", TENFACTOR, source="10-FAKTOR")
    assert response.status_code == 400
    assert "10f.csv har 5 rader; høyst 4 tas imot om gangen" in response.content.decode()
    assert not ExternalResult.objects.exists()
    settings.NAERVAER_UPLOAD_MAX_BYTES = 10
    before = Instrument.objects.count()
    response = upload(
        client, "/forebygging/sporreskjema/", "skjema.toml", 'title_nb = "Stort skjema"\n' * 10
    )
    assert response.status_code == 400 and "tas ikke imot" in response.content.decode()
    assert Instrument.objects.count() == before
