"""Structural guarantees of the generated organisation: valid ids, consistent dates, leaders everywhere, determinism."""

from __future__ import annotations

import datetime
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pytest
from stdnum.no import fodselsnummer, orgnr

from naervaer.demo.synth import ONGOING_NOTE_DAYS, DemoConfig, DemoOrganisation, generate

EPOCH = datetime.date(1970, 1, 1)


def _days(column: pa.ChunkedArray, missing: int = 10**6) -> np.ndarray:
    return column.cast(pa.int32()).fill_null(missing).to_numpy().astype(np.int64)


def test_same_seed_gives_identical_tables_and_other_seed_differs(
    org: DemoOrganisation, config: DemoConfig
) -> None:
    again = generate(config)
    other = generate(
        DemoConfig(
            end_date=datetime.date(2026, 10, 31), employees=config.employees, seed=config.seed + 1
        )
    )
    for name in ("units", "persons", "employments", "absences", "leaders"):
        assert getattr(again, name).equals(getattr(org, name)), name
    assert again.organisation == org.organisation
    assert not other.absences.equals(org.absences)
    assert not other.persons.equals(org.persons)


def test_history_window_is_whole_months() -> None:
    assert DemoConfig(end_date=datetime.date(2026, 10, 31)).start_date == datetime.date(2021, 11, 1)
    assert DemoConfig(end_date=datetime.date(2025, 12, 31), years=2).start_date == datetime.date(
        2024, 1, 1
    )


def test_identity_numbers_are_valid_unique_and_match_birth_date_and_sex(
    org: DemoOrganisation,
) -> None:
    persons = org.persons.to_pylist()
    numbers = [p["national_id"] for p in persons]
    assert len(set(numbers)) == len(numbers)
    for person in persons:
        number = person["national_id"]
        assert fodselsnummer.is_valid(number), number
        assert fodselsnummer.get_birth_date(number) == person["birth_date"], number
        assert fodselsnummer.get_gender(number) == person["sex"], number
    assert orgnr.is_valid(org.organisation["org_number"])


def test_persons_have_norwegian_names_and_working_ages(
    org: DemoOrganisation, config: DemoConfig
) -> None:
    first = org.persons["first_name"].to_pylist()
    assert "Person" not in first and len(set(first)) > 50
    birth = np.array(org.persons["birth_date"].to_pylist())
    age_at_end = np.array([(config.end_date - b).days / 365.25 for b in birth])
    assert age_at_end.min() >= 18 and age_at_end.max() < 70


def test_absences_lie_inside_their_employment_and_never_overlap(
    org: DemoOrganisation, config: DemoConfig
) -> None:
    emp, ab = org.employments, org.absences
    row = ab["employment_id"].to_numpy() - 1
    assert (emp["employment_id"].to_numpy() == np.arange(1, emp.num_rows + 1)).all()
    assert (emp["employee_id"].to_numpy()[row] == ab["employee_id"].to_numpy()).all()
    start, end = _days(ab["start_date"]), _days(ab["end_date"])
    assert (start <= end).all()
    assert (start >= _days(emp["start_date"])[row]).all()
    assert (end <= _days(emp["end_date"])[row]).all()
    today = (config.end_date - EPOCH).days
    assert start.min() >= (config.start_date - EPOCH).days and start.max() <= today
    # Only sick notes running on the last day go on after it, and for at most four weeks.
    later = end > today
    assert later.any()
    assert (np.array(ab["kind"].to_pylist())[later] == "doctor_certified").all()
    assert end.max() <= today + ONGOING_NOTE_DAYS[1]
    order = np.lexsort((start, row))
    same_employment = row[order][1:] == row[order][:-1]
    assert (start[order][1:][same_employment] > end[order][:-1][same_employment]).all()


def test_self_certification_needs_two_months_of_employment(org: DemoOrganisation) -> None:
    ab = org.absences
    self_cert = np.array(ab["kind"].to_pylist()) == "self_certified"
    employment_start = _days(org.employments["start_date"])[ab["employment_id"].to_numpy() - 1]
    assert (_days(ab["start_date"])[self_cert] - employment_start[self_cert] >= 61).all()


def test_unit_tree_has_sectors_departments_and_sites(org: DemoOrganisation) -> None:
    units = org.units.to_pylist()
    by_id = {u["unit_id"]: u for u in units}
    roots = [u for u in units if u["parent_id"] is None]
    assert [r["level"] for r in roots] == ["organisation"]
    assert {u["sector"] for u in units if u["level"] == "sector"} == {
        "health_care",
        "kindergarten",
        "school",
        "technical",
        "administration",
    }
    expected_parent_level = {"sector": "organisation", "department": "sector", "site": "department"}
    for unit in units[1:]:
        assert by_id[unit["parent_id"]]["level"] == expected_parent_level[unit["level"]], unit
    care_sites = [u["name"] for u in units if u["level"] == "site" and u["sector"] == "health_care"]
    assert any(n.endswith("sykehjem") for n in care_sites) and any(
        n.endswith("hjemmetjeneste") for n in care_sites
    )


def test_sites_scale_with_employees(org: DemoOrganisation) -> None:
    small = generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=10, seed=3))
    bigger = generate(
        DemoConfig(
            end_date=datetime.date(2026, 10, 31), employees=10_000, seed=3, years=1, names=False
        )
    )
    sites = [np.sum(np.array(o.units["level"].to_pylist()) == "site") for o in (small, org, bigger)]
    assert sites[0] < sites[1] < sites[2]
    assert 2_500 / sites[1] > 15  # tens of employees per site, not one site per person


def test_every_unit_has_a_leader_employed_in_it_or_its_parent(org: DemoOrganisation) -> None:
    leaders = org.leaders.to_pylist()
    unit_leader = {
        row["unit_id"]: row["employee_id"] for row in leaders if row["role"] == "unit_leader"
    }
    assert len(unit_leader) == sum(
        1 for row in leaders if row["role"] == "unit_leader"
    )  # exactly one each
    parent = dict(
        zip(org.units["unit_id"].to_pylist(), org.units["parent_id"].to_pylist(), strict=True)
    )
    assert set(unit_leader) == set(parent)
    units_of = {}
    for e in org.employments.to_pylist():
        units_of.setdefault(e["employee_id"], set()).add(e["unit_id"])
    for unit, leader in unit_leader.items():
        assert units_of[leader] & {unit, parent[unit]}, (
            f"unit {unit}: leader {leader} works elsewhere"
        )


def test_every_employment_has_a_nearest_leader_except_the_top(
    org: DemoOrganisation, config: DemoConfig
) -> None:
    emp = org.employments.to_pylist()
    without = [e for e in emp if e["leader_employee_id"] is None]
    assert [e["occupation"] for e in without] == ["Kommunedirektør"]
    persons = set(org.persons["employee_id"].to_pylist())
    leader_ids = {e["leader_employee_id"] for e in emp} - {None}
    assert leader_ids <= persons
    assert all(e["leader_employee_id"] != e["employee_id"] for e in emp)
    # Leaders stay: their employments run through the whole history.
    leader_rows = [e for e in emp if e["employee_id"] in leader_ids]
    assert all(e["end_date"] is None and e["start_date"] < config.start_date for e in leader_rows)
    nearest = {
        (r["unit_id"], r["employee_id"])
        for r in org.leaders.to_pylist()
        if r["role"] == "nearest_leader"
    }
    assert nearest == {
        (e["unit_id"], e["leader_employee_id"]) for e in emp if e["leader_employee_id"] is not None
    }


def test_positions_part_time_in_care_and_never_above_full_time(org: DemoOrganisation) -> None:
    emp = org.employments
    position = emp["position_percent"].to_numpy()
    assert ((position > 0) & (position <= 100)).all()
    sector = dict(
        zip(org.units["unit_id"].to_pylist(), org.units["sector"].to_pylist(), strict=True)
    )
    in_sector = np.array([sector[u] for u in emp["unit_id"].to_pylist()])
    assert (position[in_sector == "health_care"] < 100).mean() > 0.5
    assert (position[in_sector == "administration"] < 100).mean() < 0.2
    # Concurrent employments of one person never add up to more than a full position.
    rows = emp.to_pylist()
    for a, b in pairwise(rows):
        if a["employee_id"] == b["employee_id"] and (
            a["end_date"] is None or a["end_date"] >= b["start_date"]
        ):
            assert a["position_percent"] + b["position_percent"] <= 100


def test_turnover_second_jobs_and_unit_changes_all_occur(
    org: DemoOrganisation, config: DemoConfig
) -> None:
    rows = org.employments.to_pylist()
    ended = sum(1 for e in rows if e["end_date"] is not None)
    started = sum(1 for e in rows if e["start_date"] >= config.start_date)
    assert ended > 0.1 * len(rows) and started > 0.1 * len(rows)
    concurrent = moved = 0
    for a, b in pairwise(rows):
        if a["employee_id"] != b["employee_id"]:
            continue
        if (
            a["end_date"] is not None
            and b["start_date"] == a["end_date"] + datetime.timedelta(days=1)
            and a["unit_id"] != b["unit_id"]
        ):
            moved += 1
        elif a["end_date"] is None or a["end_date"] >= b["start_date"]:
            concurrent += 1
    assert moved >= 10 and concurrent >= 10
    assert concurrent < 0.1 * org.persons.num_rows


def test_canonical_tables_have_exactly_the_contract_columns(org: DemoOrganisation) -> None:
    tables = org.canonical()
    assert {name: t.column_names for name, t in tables.items()} == {
        "units": ["unit_id", "parent_id", "name"],
        "employments": [
            "employment_id",
            "employee_id",
            "unit_id",
            "start_date",
            "end_date",
            "position_percent",
            "occupation",
        ],
        "absences": [
            "absence_id",
            "employee_id",
            "employment_id",
            "start_date",
            "end_date",
            "kind",
            "grade_percent",
        ],
        "persons": ["employee_id", "birth_date", "sex"],
    }
    assert tables["absences"].schema.field("start_date").type == pa.date32()
    assert tables["employments"].schema.field("position_percent").type == pa.float64()
    assert set(tables["absences"]["kind"].to_pylist()) == {"self_certified", "doctor_certified"}


@pytest.mark.parametrize(
    ("field", "kwargs"), [("employees", {"employees": 9}), ("years", {"years": 0})]
)
def test_config_rejects_bad_values_by_name(field: str, kwargs: dict) -> None:
    with pytest.raises(ValueError, match=field):
        DemoConfig(**kwargs)
