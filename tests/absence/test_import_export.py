"""Import and export of units, employees and absences (docs/formats.md): all-or-nothing, idempotent,
round-tripping, and every bad row reported with line, column and reason."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from naervaer.absence.exporting import export_table
from naervaer.absence.importing import import_absences
from naervaer.absence.models import HolidayLeave, SelfCertification, SickNotePeriod
from naervaer.cli import main
from naervaer.org import services
from naervaer.org.importing import import_employees, import_units
from naervaer.org.models import Employee, Employment, PositionChange, Unit
from naervaer.org.tabular import ImportRefused

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
MODELS = [
    Unit,
    Employee,
    Employment,
    PositionChange,
    SelfCertification,
    SickNotePeriod,
    HolidayLeave,
]
IMPORTERS = {"units": import_units, "employees": import_employees, "absences": import_absences}
D = datetime.date


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def organisation(db):
    return services.organisation_create(name="Eksempel kommune", org_number="974760673")


@pytest.fixture
def loaded(organisation):
    for table, importer in IMPORTERS.items():
        importer(EXAMPLES / f"{table}.csv", organisation)
    return organisation


def refused(importer, path: Path, organisation) -> str:
    before = counts()
    with pytest.raises(ImportRefused) as error:
        importer(path, organisation)
    assert counts() == before, "a refused import must write nothing"
    return error.value.report()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def example_with(tmp_path: Path, table: str, extra_lines: list[str]) -> Path:
    text = (EXAMPLES / f"{table}.csv").read_text(encoding="utf-8")
    return write(tmp_path, f"{table}.csv", text + "\n".join(extra_lines) + "\n")


def test_examples_import_with_the_documented_meaning(loaded):
    assert counts() == {
        "Unit": 5,
        "Employee": 4,
        "Employment": 4,
        "PositionChange": 5,
        "SelfCertification": 1,
        "SickNotePeriod": 4,
        "HolidayLeave": 2,
    }
    ola = Employee.objects.get(national_id="05058841791")
    assert (ola.birth_date, ola.sex, ola.first_name) == (D(1988, 5, 5), "M", "Ola")
    e101 = Employment.objects.get(external_id="E101")
    assert (e101.nearest_leader.first_name, e101.unit.name) == ("Ingrid", "Avdeling 1")
    assert (e101.position_percent_on(D(2022, 12, 31)), e101.position_percent_on(D(2023, 1, 1))) == (
        Decimal(80),
        Decimal(100),
    )
    assert Unit.objects.get(external_id="AVD1").parent.external_id == "SYKEHJEM"
    graded = SickNotePeriod.objects.get(external_id="N2")
    assert (graded.note_type, graded.grade, graded.work_related_reason) == (
        "graded",
        50,
        "Tunge løft",
    )
    assert SickNotePeriod.objects.get(external_id="N1").grade == 100


def test_reimport_creates_no_duplicates(loaded):
    before = counts()
    results = [importer(EXAMPLES / f"{table}.csv", loaded) for table, importer in IMPORTERS.items()]
    assert counts() == before
    assert [r.created for r in results] == [0, 0, 0]
    assert [r.updated for r in results] == [0, 0, 0]
    assert [r.unchanged for r in results] == [5, 8, 7]  # employees: 4 people + 4 employments


def test_unchanged_reimport_writes_nothing_but_a_changed_row_is_saved(loaded, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for table, importer in IMPORTERS.items():
        with CaptureQueriesContext(connection) as queries:
            importer(EXAMPLES / f"{table}.csv", loaded)
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert len(writes) == 1 and "audit" in writes[0], (table, writes)  # the import's log line
    text = (EXAMPLES / "absences.csv").read_text(encoding="utf-8")
    changed = write(tmp_path, "absences.csv", text.replace("2024-07-21", "2024-07-20"))
    result = import_absences(changed, loaded)
    assert (result.updated, result.changed, result.unchanged) == (1, 1, 6)
    assert HolidayLeave.objects.get(external_id="H1").end_date == D(2024, 7, 20)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_cleanly(loaded, tmp_path, fmt):
    before = counts()
    for table, importer in IMPORTERS.items():
        path = tmp_path / f"{table}.{fmt}"
        export_table(table, loaded, path, fmt)
        result = importer(path, loaded)
        assert (result.changed, result.unchanged > 0) == (0, True), table
        again = tmp_path / f"again-{table}.{fmt}"
        export_table(table, loaded, again, fmt)
        if fmt == "csv":
            assert again.read_bytes() == path.read_bytes()
    assert counts() == before


def test_export_gives_hand_registered_records_external_ids(loaded, tmp_path):
    unit = services.unit_create(
        organisation=loaded,
        name="Ny",
        level="site",
        parent=Unit.objects.get(external_id="SYKEHJEM"),
        valid_from=D(2024, 1, 1),
    )
    export_table("units", loaded, tmp_path / "units.csv")
    assert import_units(tmp_path / "units.csv", loaded).created == 0
    unit.refresh_from_db()
    assert unit.external_id == f"unit-{unit.pk}"


def test_comma_delimiter_and_bom_accepted(organisation, tmp_path):
    text = "\ufeffexternal_id,parent_external_id,name,level,sector_code,valid_from,valid_to\nK,,Kommune,organisation,,2020-01-01,\n"
    assert import_units(write(tmp_path, "u.csv", text), organisation).created == 1
    assert Unit.objects.get().name == "Kommune"


def test_xlsx_import_with_date_cells(organisation, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "external_id",
            "parent_external_id",
            "name",
            "level",
            "sector_code",
            "valid_from",
            "valid_to",
        ]
    )
    sheet.append(["K", None, "Kommune", "organisation", None, datetime.datetime(2020, 1, 1), None])
    sheet.append(
        [
            "S",
            "K",
            "Skole",
            "sector",
            "school",
            datetime.datetime(2021, 8, 1),
            datetime.datetime(2025, 7, 31),
        ]
    )
    workbook.save(tmp_path / "units.xlsx")
    assert import_units(tmp_path / "units.xlsx", organisation).created == 2
    assert Unit.objects.get(external_id="S").valid_to == D(2025, 7, 31)


def test_dry_run_writes_nothing(organisation):
    result = import_units(EXAMPLES / "units.csv", organisation, dry_run=True)
    assert (result.created, Unit.objects.count()) == (5, 0)


def test_bad_date_refused(loaded, tmp_path):
    path = example_with(
        tmp_path, "absences", ["X1;E103;self_certification;2024-13-01;2024-01-03;;;;;;"]
    )
    assert "line 9, column start_date: 2024-13-01 is not a date" in refused(
        import_absences, path, loaded
    )


def test_overlapping_periods_in_file_refused(loaded, tmp_path):
    path = example_with(
        tmp_path,
        "absences",
        [
            "X1;E103;sick_note;2024-03-04;2024-03-15;full;;;;;2024-03-05",
            "X2;E103;self_certification;2024-03-15;2024-03-16;;;;;;",
        ],
    )
    report = refused(import_absences, path, loaded)
    assert "line 10, column start_date" in report and "overlaps" in report


def test_overlap_with_register_refused(loaded, tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        "external_id;employment_external_id;record;start_date;end_date\nX1;E101;self_certification;2024-02-10;2024-02-11\n",
    )
    assert "line 2, column start_date" in refused(import_absences, path, loaded)


def test_invalid_identity_number_refused(loaded, tmp_path):
    path = example_with(
        tmp_path, "employees", ["12037523428;Feil;Nummer;nb;;E900;AVD1;;2024-01-01;;100;;"]
    )
    report = refused(import_employees, path, loaded)
    assert "line 7, column national_id" in report and "12037523428" in report


@pytest.mark.parametrize(
    ("grade", "phrase"),
    [("15", "20 to 99"), ("100", "20 to 99"), ("", "20 to 99"), ("fifty", "not a number")],
)
def test_wrong_grade_refused(loaded, tmp_path, grade, phrase):
    path = example_with(
        tmp_path,
        "absences",
        [f"X1;E103;sick_note;2024-03-04;2024-03-15;graded;{grade};;;;2024-03-05"],
    )
    report = refused(import_absences, path, loaded)
    assert "line 9, column grade" in report and phrase in report


def test_unknown_unit_refused(loaded, tmp_path):
    path = example_with(
        tmp_path, "employees", ["17069949894;Ny;Person;nb;;E900;NOWHERE;;2024-01-01;;100;;"]
    )
    assert "line 7, column unit_external_id: Unknown unit NOWHERE" in refused(
        import_employees, path, loaded
    )


def test_unknown_parent_unit_refused(organisation, tmp_path):
    path = write(
        tmp_path,
        "u.csv",
        "external_id;parent_external_id;name;level;valid_from\nA;MISSING;A;sector;2020-01-01\n",
    )
    assert "line 2, column parent_external_id" in refused(import_units, path, organisation)


def test_unknown_employment_refused(loaded, tmp_path):
    path = example_with(tmp_path, "absences", ["X1;E999;holiday;2024-07-01;2024-07-05;;;;;;"])
    assert "line 9, column employment_external_id: Unknown employment E999" in refused(
        import_absences, path, loaded
    )


def test_wrong_encoding_refused(organisation, tmp_path):
    path = write(
        tmp_path,
        "u.csv",
        "external_id;name;level;valid_from\nK;Kommune Bø;organisation;2020-01-01\n",
        encoding="cp1252",
    )
    report = refused(import_units, path, organisation)
    assert "not UTF-8" in report and "line 2" in report


@pytest.mark.parametrize("content", [b"", b"\n\n", "\ufeff".encode()])
def test_empty_file_refused(organisation, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert "empty" in refused(import_units, path, organisation)


def test_header_only_refused(organisation, tmp_path):
    path = write(tmp_path, "u.csv", "external_id;name;level;valid_from\n")
    assert "no data rows" in refused(import_units, path, organisation)


def test_unknown_and_missing_columns_refused(organisation, tmp_path):
    path = write(tmp_path, "u.csv", "external_id;name;colour\nK;Kommune;blue\n")
    report = refused(import_units, path, organisation)
    assert "column colour: Unknown column" in report
    assert (
        "column level: Required column is missing" in report
        and "column valid_from: Required column is missing" in report
    )


def test_one_bad_row_stops_all_and_every_bad_row_is_reported(organisation, tmp_path):
    path = write(
        tmp_path,
        "u.csv",
        "external_id;parent_external_id;name;level;valid_from\n"
        "K;;Kommune;organisation;2020-01-01\nS;K;Skole;planet;2020-01-01\nT;K;Teknisk;sector;2020-02-30\n",
    )
    report = refused(import_units, path, organisation)
    assert "line 3, column level: planet is not one of" in report
    assert "line 4, column valid_from: 2020-02-30 is not a date" in report
    assert "2 problem(s)" in report


def test_employment_rows_must_agree(loaded, tmp_path):
    path = example_with(
        tmp_path,
        "employees",
        [
            "05058841791;Ola;Berg;nb;A101;E101;OPPVEKST;helsefagarbeider;2020-03-01;;50;2024-01-01;12037523427"
        ],
    )
    assert "line 7, column unit_external_id: Differs from line 3" in refused(
        import_employees, path, loaded
    )


def test_cli_import_and_export(organisation, tmp_path, capsys):
    assert (
        main(["import", "units", str(EXAMPLES / "units.csv"), "--organisation", "974760673"]) == 0
    )
    assert "5 record(s) were created" in capsys.readouterr().out
    assert main(["export", "units", "--out", str(tmp_path / "u.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "u.xlsx").active.max_row == 6


def test_cli_refuses_bad_file_with_exit_2(organisation, tmp_path, capsys):
    bad = shutil.copy(EXAMPLES / "units.csv", tmp_path / "units.csv")
    Path(bad).write_bytes(Path(bad).read_bytes().replace(b"organisation;", b"galaxy;"))
    assert main(["import", "units", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err and "column level" in err
    assert Unit.objects.count() == 0


def test_cli_needs_an_organisation(db, capsys):
    assert main(["import", "units", str(EXAMPLES / "units.csv")]) == 2
    assert "--organisation" in capsys.readouterr().err


def test_successful_import_is_logged_but_a_dry_run_is_not(organisation):
    from naervaer.audit.models import AccessLog

    import_units(EXAMPLES / "units.csv", organisation, dry_run=True)
    assert not AccessLog.objects.filter(object_type="import").exists()
    import_units(EXAMPLES / "units.csv", organisation)
    entry = AccessLog.objects.get(object_type="import")
    assert (entry.object_id, entry.purpose) == ("units.csv", "5 created, 0 updated, 0 unchanged")
