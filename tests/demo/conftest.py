"""One demo organisation (and its reference statistics) shared by the demo tests: generating is cheap, the naive reference is not."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from naervaer.demo.synth import DemoConfig, DemoOrganisation, generate

CONFIG = DemoConfig(end_date=datetime.date(2026, 10, 31), employees=2500, seed=7)


@pytest.fixture(scope="session")
def config() -> DemoConfig:
    return CONFIG


@pytest.fixture(scope="session")
def org() -> DemoOrganisation:
    return generate(CONFIG)


@pytest.fixture(scope="session")
def unit_months(org: DemoOrganisation) -> pd.DataFrame:
    """Unit × month lost and possible workdays from the stats engine's naive reference, with each unit's sector."""
    from naervaer.stats.reference import reference_unit_month

    table = reference_unit_month(org.canonical(), CONFIG.start_date, CONFIG.end_date)
    sectors = org.units.select(["unit_id", "sector"]).to_pandas()
    return table.merge(sectors, on="unit_id", how="left")
