"""One local SparkSession for the whole test session (starting Spark costs seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark_backend():
    import ibis

    from naervaer.stats.engines import spark_session

    session = spark_session("naervaer-stats-tests")
    yield ibis.pyspark.connect(session)
    session.stop()
