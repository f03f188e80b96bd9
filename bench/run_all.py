"""Run every benchmark script in bench/ (`make bench`), one after the other, each in its own process.

Each script compares against its own baseline in the same run and prints ratios; this runner only
collects their exit codes so one failing benchmark does not hide the others.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(
        p
        for p in BENCH_DIR.glob("*.py")
        if p.name not in {"run_all.py"} and not p.name.startswith("_")
    )
    selected = [p for p in scripts if not sys.argv[1:] or p.stem in sys.argv[1:]]
    failures = []
    for script in selected:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)])
        print(
            f"=== {script.name}: exit {code} after {time.perf_counter() - started:.1f} s ===",
            flush=True,
        )
        if code:
            failures.append(script.name)
    if failures:
        print("failed: " + ", ".join(failures), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
