"""What makes the unit page fast must not change what it shows: subtree scoping, the data stamp, the page cache."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from naervaer.absence.models import SelfCertification
from naervaer.insight import data_version, statistics, unit_page
from naervaer.org.models import Unit


def _tables() -> dict[str, pa.Table]:
    """Root 1 with children 2 and 3; 4 under 2, 5 under 4; 9 a second root outside the subtree."""
    units = pa.table(
        {
            "unit_id": [1, 2, 3, 4, 5, 9],
            "parent_id": [None, 1, 1, 2, 4, None],
            "name": ["root", "a", "b", "a1", "a11", "other"],
        },
        schema=pa.schema(
            [("unit_id", pa.int64()), ("parent_id", pa.int64()), ("name", pa.string())]
        ),
    )
    employments = pa.table(
        {
            "employment_id": [10, 11, 12, 13, 14, 15],
            "employee_id": [100, 101, 102, 103, 104, 105],
            "unit_id": [1, 2, 3, 4, 5, 9],
        },
        schema=pa.schema(
            [
                pa.field("employment_id", pa.int64(), nullable=False),
                pa.field("employee_id", pa.int64(), nullable=False),
                pa.field("unit_id", pa.int64(), nullable=False),
            ]
        ),
    )
    absences = pa.table({"absence_id": [1, 2, 3], "employment_id": [14, 15, 11]})
    persons = pa.table({"employee_id": [100, 101, 102, 103, 104, 105]})
    return {"units": units, "employments": employments, "absences": absences, "persons": persons}


def test_scope_folds_deeper_units_into_the_child_and_drops_the_rest() -> None:
    scoped = statistics.unit_scope(_tables(), 2)
    assert scoped["units"].to_pydict() == {
        "unit_id": [2, 4],
        "parent_id": [None, 2],
        "name": ["a", "a1"],
    }
    # employment 14 sits in 5 (under 4): folded into child 4; 10, 12 and 15 are outside unit 2's subtree
    assert dict(
        zip(
            scoped["employments"]["employment_id"].to_pylist(),
            scoped["employments"]["unit_id"].to_pylist(),
            strict=True,
        )
    ) == {11: 2, 13: 4, 14: 4}
    assert scoped["employments"].schema.field("unit_id").nullable is False
    assert sorted(scoped["absences"]["absence_id"].to_pylist()) == [1, 3]
    assert sorted(scoped["persons"]["employee_id"].to_pylist()) == [101, 103, 104]


def test_scope_of_the_root_keeps_every_employment_of_its_tree() -> None:
    scoped = statistics.unit_scope(_tables(), 1)
    assert scoped["units"]["unit_id"].to_pylist() == [1, 2, 3]
    assert sorted(
        zip(
            scoped["employments"]["employment_id"].to_pylist(),
            scoped["employments"]["unit_id"].to_pylist(),
            strict=True,
        )
    ) == [(10, 1), (11, 2), (12, 3), (13, 2), (14, 2)]


def test_scope_names_an_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit 77 is not in the snapshot's units table"):
        statistics.unit_scope(_tables(), 77)


@pytest.mark.django_db
def test_scoped_panels_equal_the_whole_organisations_for_the_unit_and_its_children(demo) -> None:
    parent = next(
        u
        for u in Unit.objects.filter(organisation=demo)
        if Unit.objects.filter(parent__parent=u).exists()
    )
    ids = [parent.pk, *Unit.objects.filter(parent=parent).values_list("pk", flat=True)]
    for kind in ("quarter", "rolling4q"):
        whole = statistics.panel(demo, kind)
        scoped = statistics.panel(demo, kind, unit_id=parent.pk)
        assert sorted(scoped["unit_id"].unique()) == sorted(ids)
        expected = (
            whole[whole["unit_id"].isin(ids)]
            .sort_values(["unit_id", "period"])
            .reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(
            scoped.sort_values(["unit_id", "period"]).reset_index(drop=True), expected
        )


@pytest.mark.django_db
def test_bulk_insert_moves_the_stamp_and_the_page_is_served_from_the_cache(
    demo, monkeypatch
) -> None:
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    visible = set(Unit.objects.filter(organisation=demo).values_list("pk", flat=True))
    today = dt.date(2026, 11, 23)
    first = unit_page.build(root, visible, today=today)

    def no_engine(*args, **kwargs):
        raise AssertionError("a warm page must not ask for panels")

    monkeypatch.setattr(statistics, "panel", no_engine)
    again = unit_page.build(root, visible, today=today)
    assert [r["period"] for r in again.months.rows] == [r["period"] for r in first.months.rows]
    assert again.chart.svg == first.chart.svg

    before = data_version.stamp(demo.pk)
    copy = SelfCertification.objects.filter(organisation=demo).first()
    copy.pk, copy.external_id = None, ""
    SelfCertification.objects.bulk_create([copy])  # sends no signal
    assert data_version.stamp(demo.pk) != before
    with pytest.raises(AssertionError, match="must not ask for panels"):
        unit_page.build(root, visible, today=today)


def test_warm_up_starts_what_the_first_insight_request_needs(monkeypatch) -> None:
    """`naervaer serve` runs the engine once and warms the chart renderer; both really work."""
    import vl_convert

    from naervaer.insight.warmup import warm_up
    from naervaer.stats import api

    rendered, computed = [], []
    real = vl_convert.vegalite_to_svg
    monkeypatch.setattr(
        vl_convert,
        "vegalite_to_svg",
        lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1],
    )
    real_compute = api.compute
    monkeypatch.setattr(
        api, "compute", lambda *a, **k: computed.append(real_compute(*a, **k)) or computed[-1]
    )
    warm_up()
    assert len(rendered) == 1 and rendered[0].lstrip().startswith("<svg")
    assert len(computed) == 1 and computed[0]["period"].tolist() == [
        "2024Q1-2024Q4"
    ]  # it ran on real rows
    assert computed[0]["masked"].all()  # one person: the warm-up shows nothing either
