"""DuckDB, PySpark and the naive day-expansion reference agree on every unit × month cell."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from naervaer.demo.synth import DemoConfig, generate
from naervaer.stats import compute, reference_unit_month, validate_tables

COLUMNS = [
    "persons",
    "possible_workdays",
    "lost_workdays",
    "lost_self_certified",
    "lost_doctor_certified",
]


@pytest.fixture(scope="module")
def synthetic():
    """The demo generator's tables, with every fifth absence of people with one employment left
    without employment_id: those go through the backend's join, so both backends run it."""
    tables = generate(
        DemoConfig(end_date=datetime.date(2026, 10, 31), employees=200, names=False, years=2)
    ).canonical()
    employees = pc.value_counts(tables["employments"]["employee_id"])
    single = employees.field("values").filter(pc.equal(employees.field("counts"), 1))
    absences = tables["absences"]
    blank = pc.and_(
        pc.is_in(absences["employee_id"], value_set=single),
        pa.array(np.arange(absences.num_rows) % 5 == 0),
    )
    employment = pc.if_else(blank, pa.scalar(None, pa.int64()), absences["employment_id"])
    tables["absences"] = absences.set_column(
        absences.schema.get_field_index("employment_id"), "employment_id", employment
    )
    tables = validate_tables(tables)
    assert tables["absences"].num_rows > 100  # the comparison must have absences to compare
    assert tables["absences"]["employment_id"].null_count > 20
    return tables


def _aligned(engine_frame: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    merged = reference.merge(
        engine_frame[["unit_id", "period", *COLUMNS]],
        on=["unit_id", "period"],
        how="outer",
        suffixes=("_ref", "_engine"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    return merged


@pytest.mark.spark
def test_duckdb_spark_and_reference_agree(synthetic, spark_backend) -> None:
    reference = reference_unit_month(synthetic)
    duck = compute(synthetic, engine="duckdb", unmasked=True)
    spark = compute(synthetic, engine=spark_backend, unmasked=True)
    for frame in (duck, spark):
        merged = _aligned(frame, reference)
        for column in COLUMNS:
            np.testing.assert_allclose(
                merged[f"{column}_engine"].astype(float),
                merged[f"{column}_ref"].astype(float),
                rtol=1e-9,
                atol=0,
            )
    # Every other indicator agrees between the two engines too.
    numeric = [c for c in duck.columns if c not in ("unit_id", "period", "masked", "mask_reason")]
    pd.testing.assert_frame_equal(
        duck[numeric].astype(float), spark[numeric].astype(float), rtol=1e-9
    )
    assert duck["lost_workdays"].sum() > 0
