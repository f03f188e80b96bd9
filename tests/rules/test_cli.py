"""`naervaer rules evaluate`: JSON in, JSON out; bad input exits 2 with one clear message."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from naervaer.cli import main

EXAMPLE = {
    "person": {"birth_date": "1992-02-12", "death_date": None},
    "today": "2018-03-01",
    "routine": "law-minimum",
    "days": [
        {"from": "2018-01-01", "to": "2018-01-26", "kind": "sick", "grade": 100},
        {"from": "2018-01-27", "to": "2018-02-10", "kind": "work"},
    ],
}


def _run(capsys, monkeypatch, request) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(request)))
    code = main(["rules", "evaluate", "-"])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_issue_example(capsys, monkeypatch) -> None:
    code, out, err = _run(capsys, monkeypatch, EXAMPLE)
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["cases"] == [{"start": "2018-01-01", "end": "2018-01-26", "sick_days": 26}]
    assert answer["employer_periods"] == [
        {"days": [["2018-01-01", "2018-01-16"]], "complete": True, "nav_pays_from": "2018-01-17"}
    ]
    assert answer["paid_weekdays"] == 8
    assert answer["rejected_days"] == []
    assert answer["max_date"] == {
        "date": "2018-12-28",
        "used": 8,
        "remaining": 240,
        "rule": "ordinary",
        "fewer_than_91_left_on": "2018-08-24",
    }
    assert answer["recurring_absence"] is False
    by_key = {m["key"]: m for m in answer["milestones"]}
    assert by_key["employer_period_ends"]["due"] == "2018-01-16"
    assert by_key["follow_up_plan"]["state"] == "not_applicable"  # back at work before 4 weeks


def test_reads_a_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({**EXAMPLE, "routine": "kommune-4"}), encoding="utf-8")
    assert main(["rules", "evaluate", str(path)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [m["key"] for m in answer["milestones"]] == ["follow_up_talk", "next_meeting"]


def _day(**changes):
    return {**EXAMPLE, "days": [{**EXAMPLE["days"][0], **changes}]}


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (_day(kind="ill"), "days[0].kind: 'ill' is not one of sick, self_certified"),
        (_day(to="2017-12-01"), "days[0]: from 2018-01-01 is after to 2017-12-01"),
        (
            {
                **EXAMPLE,
                "days": EXAMPLE["days"]
                + [{"from": "2018-02-10", "to": "2018-02-12", "kind": "holiday"}],
            },
            "days: holiday 2018-02-10..2018-02-12 overlaps work 2018-01-27..2018-02-10",
        ),
        (_day(grade=0), "days[0].grade: 0 is not a whole percent between 1 and 100"),
        (_day(grade=101), "days[0].grade: 101 is not a whole percent"),
        (_day(kind="work", grade=50), "days[0].grade: only sick days have a grade, not work"),
        (
            _day(**{"from": "2018-02-30"}),
            "days[0].from: '2018-02-30' is not a valid date YYYY-MM-DD",
        ),
        ({k: v for k, v in EXAMPLE.items() if k != "today"}, "today: missing field"),
        ({**EXAMPLE, "person": {}}, "person.birth_date: missing field"),
        (
            {**EXAMPLE, "days": [{"from": "2018-01-01", "kind": "sick"}]},
            "days[0].to: missing field",
        ),
        ({**EXAMPLE, "routine": "strict"}, "routine: unknown routine 'strict'"),
    ],
)
def test_bad_input_exits_2_with_one_message(capsys, monkeypatch, request_, message) -> None:
    code, out, err = _run(capsys, monkeypatch, request_)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_invalid_json_exits_2(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("{not json"))
    assert main(["rules", "evaluate", "-"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_console_script_reads_stdin() -> None:
    script = Path(sys.executable).with_name("naervaer")
    done = subprocess.run(
        [str(script), "rules", "evaluate", "-"],
        input=json.dumps(EXAMPLE),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["max_date"]["date"] == "2018-12-28"
