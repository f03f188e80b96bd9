"""Benchmark: the demo generator writing national-scale Parquet (1,000,000 employees × 5 years).

Baseline in the same run: 100,000 employees. Prints wall time per phase (generate, write), rows,
throughput and the per-employee scaling ratio (1 M time per employee / 100 k time per employee;
1.0 = linear), plus the process's peak memory. Target: well under 2 minutes and under 8 GB.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from naervaer.demo.synth import DemoConfig, generate, write_tables

BASELINE, TARGET = 100_000, 1_000_000
TARGET_SECONDS, TARGET_GIB = 120.0, 8.0


def run(employees: int, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    org = generate(DemoConfig(employees=employees, seed=1, years=5, names=False))
    generated = time.perf_counter()
    paths = write_tables(org, out, "parquet")
    written = time.perf_counter()
    return {
        "generate": generated - started,
        "write": written - generated,
        "total": written - started,
        "employments": org.employments.num_rows,
        "absences": org.absences.num_rows,
        "megabytes": sum(p.stat().st_size for p in paths) / 1e6,
    }


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for employees in (BASELINE, TARGET):
            results[employees] = r = run(employees, Path(tmp) / str(employees))
            print(
                f"{employees:>9,} employees: generate {r['generate']:6.1f} s, write {r['write']:5.1f} s, "
                f"total {r['total']:6.1f} s; {r['employments']:,.0f} employments, {r['absences']:,.0f} absences, "
                f"{r['megabytes']:.0f} MB Parquet; {r['absences'] / r['total'] / 1e6:.2f} M absences/s",
                flush=True,
            )
    base, big = results[BASELINE], results[TARGET]
    ratio = (big["total"] / TARGET) / (base["total"] / BASELINE)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"scaling: {TARGET // BASELINE}× the employees took {big['total'] / base['total']:.1f}× the time; "
        f"per-employee ratio {ratio:.2f} (1.00 = linear)"
    )
    print(
        f"peak memory {peak_gib:.1f} GiB; 1 M target {TARGET_SECONDS:.0f} s / {TARGET_GIB:.0f} GiB: "
        f"{'met' if big['total'] < TARGET_SECONDS and peak_gib < TARGET_GIB else 'MISSED'}"
    )
    return 0 if big["total"] < TARGET_SECONDS and peak_gib < TARGET_GIB else 1


if __name__ == "__main__":
    sys.exit(main())
