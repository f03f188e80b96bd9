"""Coverage of the evaluation's 95 % interval when there is no effect, against the naive before/after baseline.

200 synthetic organisations (12 units of 40 employees, 6 target and 6 reference, three years, seasonal
spells, unit-level differences) with NO injected effect go through `evaluate`. The primary estimate
for the absence percent (difference-in-differences with unit and year-month effects, composition
adjustment, wild cluster bootstrap over 12 clusters) should cover zero in 93–97 % of them. The
baseline is what the projects in the 2003 report did: target after minus target before, with an
interval that treats lost workdays as Poisson counts and knows nothing of references, seasons or
clusters; the script reports how often it wrongly claims an effect.

Run: .venv/bin/python bench/evaluation_bench.py [--datasets 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings

from scipy import stats

from naervaer.stats.evaluation import InterventionSpec, evaluate
from naervaer.stats.evaluation.simulate import SimulationConfig, simulate_tables


def clopper_pearson(hits: int, n: int, level: float = 0.95) -> tuple[float, float]:
    alpha = 1 - level
    low = stats.beta.ppf(alpha / 2, hits, n - hits + 1) if hits > 0 else 0.0
    high = stats.beta.ppf(1 - alpha / 2, hits + 1, n - hits) if hits < n else 1.0
    return float(low), float(high)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=200)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    spec = InterventionSpec.from_mapping(
        {
            "name": "bench",
            "target_units": list(range(100, 106)),
            "reference_units": list(range(106, 112)),
            "before_start": dt.date(2022, 1, 1),
            "active_start": dt.date(2023, 7, 1),
            "active_end": dt.date(2024, 12, 31),
            "after_end": dt.date(2024, 12, 31),
            "indicators": ["absence_percent"],
        }
    )
    covered = {"did": 0, "did_unadjusted": 0, "naive_before_after": 0}
    started = time.perf_counter()
    for seed in range(1, args.datasets + 1):
        tables = simulate_tables(SimulationConfig(employees_per_unit=40, seed=seed))
        result = evaluate(tables, spec)
        for est in result.estimates:
            if est.method in covered:
                covered[est.method] += est.covers_zero
        if seed % 20 == 0:
            print(
                f"  {seed} data sets, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.perf_counter() - started
    n = args.datasets
    print(
        f"{n} simulated data sets without effect, {elapsed:.0f} s ({elapsed / n:.2f} s per evaluation)"
    )
    for method, hits in covered.items():
        low, high = clopper_pearson(hits, n)
        print(
            f"  {method:20s} covers zero {hits:3d}/{n} = {100 * hits / n:5.1f} % "
            f"(95 % CI {100 * low:.1f}–{100 * high:.1f} %), wrongly claims an effect in {100 * (n - hits) / n:5.1f} %"
        )
    did, naive = covered["did"], covered["naive_before_after"]
    ratio = (n - naive) / max(n - did, 1)
    print(f"  false-claim ratio naive / evaluation: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
