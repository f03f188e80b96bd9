"""`naervaer retention`: the dry run lists what is due and changes nothing; ``--apply`` deletes and
anonymises it, a second run finds nothing, the statistics stay the same to the last digit and the
access log only grows."""

from __future__ import annotations

import datetime
import threading

import pyarrow.parquet as pq
import pytest

from naervaer.absence import services as absence
from naervaer.absence.models import NavDiagnosis, SelfCertification, SickNotePeriod
from naervaer.absence.snapshot import canonical_tables
from naervaer.audit.models import AccessLog
from naervaer.cli import main
from naervaer.followup.models import (
    ErasedCase,
    FollowupCase,
    Meeting,
    Plan,
    WorkplaceDescription,
)
from naervaer.followup.services import sync
from naervaer.org.models import Employee, RetentionRules

from .conftest import LEFT_ON, TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


def _run(capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["retention", "--today", TODAY.isoformat(), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _state() -> dict[str, object]:
    """Everything retention may change, to compare runs."""
    return {
        "cases": sorted(FollowupCase.objects.values_list("pk", "employment_id", "start")),
        "meetings": Meeting.objects.count(),
        "plans": Plan.objects.count(),
        "notes": sorted(
            SickNotePeriod.objects.values_list("pk", "work_related_reason", "note_to_employer")
        ),
        "diagnoses": sorted(NavDiagnosis.objects.values_list("pk", flat=True)),
        "people": sorted(
            Employee.objects.values_list("pk", "first_name", "national_id", "user_id")
        ),
        "workplaces": WorkplaceDescription.objects.count(),
    }


def test_the_dry_run_lists_what_is_due_and_changes_nothing(old_world, capsys):
    before, log_before = _state(), AccessLog.objects.count()
    code, out, _err = _run(capsys)
    assert code == 0
    old = old_world["old_case"]
    assert f"case {old.pk} (employee {old.employee_id}): ended 2021-04-01, due 2024-04-01" in out
    siri = old_world["employees"]["siri"]
    assert f"person {siri.pk}: last employment ended 2022-12-31, due 2025-12-31" in out
    # Ola's old case, Siri's case and the six people's 2021 cases; Siri and two of the six leave.
    assert "cases: 8, persons: 3" in out
    assert "dry run: nothing changed" in out
    assert "Ola" not in out and "Siri" not in out  # ids, never names
    assert _state() == before
    assert AccessLog.objects.count() == log_before


def test_apply_deletes_and_anonymises_what_is_due_and_keeps_the_rest(old_world, capsys):
    ola = old_world["employments"]["ola"]
    old = old_world["old_case"]
    running = FollowupCase.objects.get(employment=ola, start=D(2026, 11, 2))
    code, out, _err = _run(capsys, "--apply")
    assert code == 0, out
    assert "cases: 8, persons: 3" in out
    # The old case and its documents are gone; the running one keeps its own.
    assert not FollowupCase.objects.filter(pk=old.pk).exists()
    assert not Meeting.objects.filter(case_id=old.pk).exists()
    assert not Plan.objects.filter(case_id=old.pk).exists()
    assert FollowupCase.objects.filter(pk=running.pk).exists()
    assert ErasedCase.objects.filter(employment=ola, start=D(2021, 3, 1)).exists()
    # The old sick note's texts and diagnosis are gone; the running case's stay.
    notes = {n.start_date: n for n in SickNotePeriod.objects.filter(employment=ola)}
    assert (notes[D(2021, 3, 1)].work_related_reason, notes[D(2021, 3, 1)].note_to_employer) == (
        "",
        "",
    )
    assert notes[D(2026, 11, 2)].note_to_employer == "rest"
    assert list(NavDiagnosis.objects.values_list("icpc2_code", flat=True)) == ["P76"]
    # Those who left in 2022 are anonymised: no name, identity number, account or workplace text.
    siri = Employee.objects.get(pk=old_world["employees"]["siri"].pk)
    assert (siri.first_name, siri.last_name, siri.user_id) == ("Anonymisert", "", None)
    assert siri.national_id == f"A{siri.pk:010d}"
    assert siri.anonymised_on == TODAY
    assert (siri.birth_date, siri.sex) == (D(1980, 1, 1 + 108 % 28), "F" if 108 % 2 == 0 else "M")
    assert not WorkplaceDescription.objects.exists()
    assert Employee.objects.filter(anonymised_on=TODAY).count() == 3
    # People still employed keep their name.
    assert Employee.objects.get(pk=old_world["employees"]["ola"].pk).first_name == "Ola"


def test_a_second_run_finds_nothing_and_changes_nothing(old_world, capsys):
    assert _run(capsys, "--apply")[0] == 0
    after_first, log_first = _state(), AccessLog.objects.count()
    code, out, _err = _run(capsys, "--apply")
    assert code == 0
    assert "cases: 0, persons: 0, sick notes: 0, self certifications: 0, diagnoses: 0" in out
    assert _state() == after_first
    assert AccessLog.objects.count() == log_first
    assert "cases: 0, persons: 0" in _run(capsys)[1]


def test_a_deleted_case_is_not_computed_anew_from_the_absences_kept(old_world, capsys):
    ola = old_world["employments"]["ola"]
    _run(capsys, "--apply")
    sync.cases_refresh(ola, today=TODAY)
    sync.cases_refresh_all(today=TODAY)
    starts = set(FollowupCase.objects.filter(employment=ola).values_list("start", flat=True))
    assert starts == {D(2026, 11, 2)}


def test_the_access_log_is_kept_and_tells_each_person_what_retention_did(old_world, capsys):
    before = list(AccessLog.objects.order_by("pk").values_list("pk", "action", "object_type"))
    _run(capsys, "--apply")
    after = list(AccessLog.objects.order_by("pk").values_list("pk", "action", "object_type"))
    assert after[: len(before)] == before  # nothing deleted or changed
    added = AccessLog.objects.exclude(pk__in=[row[0] for row in before])
    siri = old_world["employees"]["siri"].pk
    assert added.filter(subject_employee_id=siri, object_type="retention", action="delete").exists()
    # The diagnosis deletion is a NAV-side entry, which the employer's log search leaves out.
    ola = old_world["employees"]["ola"].pk
    assert added.filter(subject_employee_id=ola, object_type="diagnosis").exists()
    assert all(entry.actor_id is None for entry in added)


def _stats(tmp_path, name: str, capsys, *options: str) -> str:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    for table, data in canonical_tables(Employee.objects.first().organisation).items():
        pq.write_table(data, folder / f"{table}.parquet")
    capsys.readouterr()
    assert main(["stats", "--input", str(folder), *options]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "options",
    [
        ("--by", "unit,month"),
        ("--by", "unit,year", "--breakdown", "sex"),
        ("--by", "unit,year", "--breakdown", "age_band"),
    ],
)
def test_the_statistics_are_the_same_before_and_after(old_world, capsys, tmp_path, options):
    before = _stats(tmp_path, "before", capsys, *options)
    # The nursing home's figures are published (8 persons): the comparison is not of masked cells.
    lines = [line for line in before.splitlines() if ",2021" in line]
    assert lines and any(cell not in ("", "0") for line in lines for cell in line.split(",")[3:])
    _run(capsys, "--apply")
    assert Employee.objects.filter(anonymised_on=TODAY).count() == 3
    assert _stats(tmp_path, "after", capsys, *options) == before


def test_the_rules_of_the_organisation_decide_what_is_due(old_world, capsys):
    RetentionRules.objects.create(organisation=old_world["org"], case_years=10, employment_years=10)
    code, out, _err = _run(capsys)
    assert code == 0 and "cases: 0, persons: 0" in out
    assert "follow-up documentation 10 years" in out


def test_bad_arguments_exit_2_with_a_message(old_world, capsys):
    code, _out, err = _run(capsys, "--organisation", "999999")
    assert code == 2 and "no organisation with id 999999" in err
    with pytest.raises(SystemExit) as stopped:
        main(["retention", "--today", "2026-02-30"])
    assert stopped.value.code == 2
    assert "'2026-02-30' is not a date" in capsys.readouterr().err
    assert FollowupCase.objects.filter(pk=old_world["old_case"].pk).exists()


def test_self_certification_quota_notes_go_with_the_person(old_world, capsys):
    leaver = old_world["leavers"][1]
    absence.self_certification_register(
        actor=None, employment=leaver, start_date=D(2022, 2, 7), end_date=D(2022, 2, 9)
    )
    SelfCertification.objects.filter(employment=leaver).update(quota_breach_reason="5 times")
    stayer = old_world["others"][0]
    SelfCertification.objects.filter(employment=stayer).update(quota_breach_reason="5 times")
    _run(capsys, "--apply")
    assert SelfCertification.objects.get(employment=leaver).quota_breach_reason == ""
    # Ended in February 2024: not three years ago, and the person still works here.
    assert SelfCertification.objects.get(employment=stayer).quota_breach_reason == "5 times"
    assert LEFT_ON.year == 2022


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_take_turns(old_world):
    """Cron may start a run while one is going: the organisation's row lock makes them take turns,
    so nothing is deleted, marked or logged twice."""
    from django.db import connection

    from naervaer.privacy import erasure, retention

    organisation = old_world["org"]
    start = threading.Barrier(2)
    done: list[erasure.Done] = []

    def run() -> None:
        try:
            start.wait()
            done.append(erasure.apply(retention.due(organisation, TODAY)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(d.cases for d in done) == [0, 8]
    assert ErasedCase.objects.count() == 8
    entries = AccessLog.objects.filter(object_type="retention").values_list(
        "subject_employee_id", flat=True
    )
    assert len(entries) == len(set(entries)) > 0


@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_holds_the_commands_lock_does_nothing(old_world, capsys):
    from tests.web.test_command_lock import held_elsewhere

    before = _state()
    with held_elsewhere("retention"):
        code, out, _err = _run(capsys, "--apply")
    assert code == 0
    assert out == "another `naervaer retention` is running; this run did nothing\n"
    assert _state() == before
    assert "cases: 8, persons: 3" in _run(capsys, "--apply")[1]
