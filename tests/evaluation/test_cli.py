"""`naervaer evaluate` end to end on a small demo organisation: the worked example runs, bad specs exit 2."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyarrow as pa
import pytest

from naervaer.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "evaluation"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.demo.tables import write_tables

    folder = tmp_path_factory.mktemp("demo")
    write_tables(
        generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=500, names=False)),
        folder,
        "parquet",
    )
    return folder


@pytest.fixture(scope="module")
def aurskog_run(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    code = main(
        [
            "evaluate",
            "--input",
            str(demo_dir),
            "--spec",
            str(EXAMPLES / "aurskog-holand.toml"),
            "--out",
            str(out / "report.pdf"),
            "--json",
            str(out / "estimates.json"),
        ]
    )
    return code, out


def test_example_spec_writes_pdf_and_json(aurskog_run) -> None:
    code, out = aurskog_run
    assert code == 0
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    records = json.loads((out / "estimates.json").read_text(encoding="utf-8"))
    keys = {"indicator", "method", "estimate", "ci_low", "ci_high", "unit_of_estimate"}
    assert records and all(keys <= set(r) for r in records)
    assert {r["indicator"] for r in records} == {
        "absence_percent",
        "spells_per_employee_year",
        "spell_length",
        "paid_days_per_case",
        "graded_share",
    }
    primary = [r for r in records if r["primary"]]
    assert primary and all(r["verdict_nb"] and r["verdict_en"] for r in primary)
    # One nursing home against one: a single comparative series, which never supports a claimed effect.
    assert {r["method"] for r in primary} == {"its_comparative_hac"}
    assert all("told apart from chance" in r["verdict_en"] for r in primary)
    assert all("skilles fra tilfeldig variasjon" in r["verdict_nb"] for r in primary)


def _spec_text(**changes: str) -> str:
    text = (EXAMPLES / "aurskog-holand.toml").read_text(encoding="utf-8")
    for old, new in changes.values():
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"unit": ('target_units = ["Solbakken sykehjem"]', 'target_units = ["Månebasen"]')},
            "target_units",
        ),
        ({"order": ("active_end = 2024-06-30", "active_end = 2022-06-30")}, "active_end"),
        ({"indicator": ('"graded_share"]', '"trivsel"]')}, "indicators"),
        ({"toml": ("name =", "name")}, "toml"),
        (
            {"empty": ("after_end = 2026-06-30", "after_end = 2029-06-30")},
            "after_end",
        ),  # past the demo history
        ({"early": ("before_start = 2022-01-01", "before_start = 2015-01-01")}, "before_start"),
    ],
)
def test_bad_spec_exits_2_naming_the_field(demo_dir, tmp_path, capsys, changes, field) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(_spec_text(**changes), encoding="utf-8")
    code = main(
        [
            "evaluate",
            "--input",
            str(demo_dir),
            "--spec",
            str(spec),
            "--out",
            str(tmp_path / "r.pdf"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f": {field}:" in err
    assert not (tmp_path / "r.pdf").exists()


def test_process_table_is_evaluated_like_the_rest(demo_dir, tmp_path) -> None:
    import datetime as dt

    from naervaer.stats.evaluation import InterventionSpec, evaluate
    from naervaer.stats.schema import load_input

    tables = load_input(demo_dir)
    parents = set(tables["units"]["parent_id"].to_pylist())
    sites = [u for u in tables["units"]["unit_id"].to_pylist() if u not in parents]
    months = [dt.date(y, m, 1) for y in (2022, 2023, 2024) for m in range(1, 13)]
    rows = [
        (u, m, "plan_made", 6 if (u in sites[:4] and m >= dt.date(2023, 1, 1)) else 3, 8)
        for u in sites
        for m in months
    ]
    process = pa.table(
        dict(
            zip(
                ("unit_id", "month", "indicator", "numerator", "denominator"),
                map(list, zip(*rows, strict=True)),
                strict=True,
            )
        )
    )
    spec = InterventionSpec.from_mapping(
        {
            "name": "p",
            "target_units": sites[:4],
            "reference_units": sites[4:10],
            "before_start": dt.date(2022, 1, 1),
            "active_start": dt.date(2023, 1, 1),
            "active_end": dt.date(2024, 12, 31),
            "after_end": dt.date(2024, 12, 31),
            "indicators": ["process"],
        }
    )
    result = evaluate(tables, spec, process=process)
    did = next(
        e for e in result.estimates if e.indicator == "process:plan_made" and e.method == "did"
    )
    # Plans made in 3 of 8 cases before and 6 of 8 after in the target units only: +37.5 points exactly.
    assert abs(did.estimate - 37.5) < 1e-9


def test_charts_are_svg(demo_dir) -> None:
    import datetime as dt

    from naervaer.stats.evaluation import InterventionSpec, evaluate, render_charts
    from naervaer.stats.schema import load_input

    tables = load_input(demo_dir)
    names = dict(
        zip(
            tables["units"]["unit_id"].to_pylist(), tables["units"]["name"].to_pylist(), strict=True
        )
    )
    spec = InterventionSpec.from_mapping(
        {
            "name": "c",
            "target_units": ["Helse og omsorg"],
            "reference": "none",
            "before_start": dt.date(2022, 1, 1),
            "active_start": dt.date(2023, 1, 1),
            "active_end": dt.date(2024, 12, 31),
            "after_end": dt.date(2024, 12, 31),
            "indicators": ["absence_percent"],
        },
        known_units=names,
    )
    result = evaluate(tables, spec)
    assert [e.method for e in result.estimates if e.primary] == ["its_hac"]
    charts = render_charts(result)
    assert {"series_absence_percent", "effects", "funnel"} <= set(charts)
    assert all(svg.lstrip().startswith("<svg") for svg in charts.values())
