"""Writing the canonical statistics tables to files, one per table, for the stats engine and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from naervaer.spreadsheet_text import inert_arrow

FORMATS = ("parquet", "csv")


class HasCanonicalTables(Protocol):
    """A DemoOrganisation (kept structural so synth can re-export write_tables without an import cycle)."""

    def canonical(self) -> dict[str, pa.Table]: ...


def write_tables(
    org_or_tables: HasCanonicalTables | dict[str, pa.Table],
    out_dir: Path,
    fmt: Literal["parquet", "csv"],
) -> list[Path]:
    """Write units, employments, absences and persons as `<name>.<fmt>` in `out_dir`; returns the paths.

    A DemoOrganisation is reduced to its canonical tables first, so the files hold exactly the
    columns the statistics engine reads.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    tables = org_or_tables if isinstance(org_or_tables, dict) else org_or_tables.canonical()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path, compression="zstd")
        else:
            pa_csv.write_csv(inert_arrow(table), path)
        paths.append(path)
    return paths
