"""Backends: DuckDB in-process by default, PySpark for a statistics office that outgrows one machine.

The indicator expressions do not know which backend runs them; this module only connects.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import ibis

ENGINES = ("duckdb", "spark")
DUCKDB_MEMORY_LIMIT = "512MB"


def spark_session(app_name: str = "naervaer-stats") -> Any:
    """A local Spark session (2 cores, no UI, few shuffle partitions) for one machine."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def connect(engine: Any = "duckdb") -> Any:
    """An Ibis backend for ``engine``: "duckdb", "spark", or an already connected Ibis backend."""
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        # Row order is fixed by an explicit sort at the end; not keeping it saves memory and time.
        con.raw_sql("SET preserve_insertion_order = false")
        con.raw_sql("SET enable_progress_bar = false")  # progress is ours, and only on a TTY
        # DuckDB's default is 80 % of RAM; a bound makes its aggregations partition (faster here,
        # not slower) and spill to a temporary folder beyond it, so 1 M employees stay near 2 GB.
        con.raw_sql(
            f"SET memory_limit = '{os.environ.get('NAERVAER_DUCKDB_MEMORY_LIMIT', DUCKDB_MEMORY_LIMIT)}'"
        )
        con.raw_sql(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'naervaer-duckdb'}'")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    if isinstance(engine, str):
        raise ValueError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    return engine
