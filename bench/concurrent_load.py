"""Concurrent load against the real server: 20 writers (HR sessions saving follow-up talks) and
10 readers (the worklist and case pages) for 30 s, on SQLite and on PostgreSQL.

Baseline in the same run: SQLite with Django's default options (rollback journal, 5 s busy
timeout, deferred transactions) — the settings before WAL, the 20 s timeout and IMMEDIATE
transactions. Each run starts from a copy of the same freshly loaded database. PostgreSQL is read
from ``PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/naervaer``); the benchmark makes and
drops its own database ``naervaer_bench_load`` on that server.

    .venv/bin/python bench/concurrent_load.py [--seconds 30] [--employees 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

import _live_site as site

BENCH_DIR = Path(__file__).resolve().parent
OLD_SETTINGS = {"DJANGO_SETTINGS_MODULE": "_old_sqlite_settings", "PYTHONPATH": str(BENCH_DIR)}
PG_DATABASE = "naervaer_bench_load"


def measure(env: dict[str, str], label: str, args: argparse.Namespace) -> dict[str, object]:
    cases = site.writable_cases(env, args.writers)
    with site.serving(env, threads=args.threads) as url:
        result, marker = site.run_load(
            url, cases, writers=args.writers, readers=args.readers, seconds=args.seconds
        )
    stored = site.stored_talks(env, marker)
    attempts = result.write_ok + result.write_errors
    row = {
        "label": label,
        "writes": attempts,
        "write_errors": result.write_errors,
        "error_share": result.write_errors / attempts if attempts else 0.0,
        "stored": stored,
        "writes_per_s": result.writes_per_second,
        "write_p95": result.p95(result.write_latencies),
        "reads_per_s": result.read_ok / result.seconds,
        "read_errors": result.read_errors,
        "read_p95": result.p95(result.read_latencies),
        "statuses": dict(sorted(result.statuses.items())),
    }
    print(
        f"{label:<28} writes {attempts:>5} errors {result.write_errors:>5} "
        f"({row['error_share']:.0%}) stored {stored:>5}  {row['writes_per_s']:6.1f} w/s  "
        f"p95 {row['write_p95']:5.2f} s | reads {row['reads_per_s']:6.1f}/s "
        f"errors {result.read_errors} p95 {row['read_p95']:5.2f} s  {row['statuses']}",
        flush=True,
    )
    return row


def postgres_url() -> str:
    return os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/naervaer")


def recreate_postgres_database() -> str:
    import psycopg

    base = postgres_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return f"{base}/{PG_DATABASE}"


def drop_postgres_database() -> None:
    import psycopg

    base = postgres_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8, help="server threads (serve's default)")
    parser.add_argument("--employees", type=int, default=200)
    args = parser.parse_args()
    print(
        f"{args.writers} writers + {args.readers} readers, {args.seconds:.0f} s each; "
        f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="naervaer-load-") as tmp:
        root = Path(tmp)
        # One SQLite database loaded under the old settings (no WAL yet), copied for each run.
        template = site.fresh_var_dir(root / "template")
        site.prepare(site.site_env(template, None, **OLD_SETTINGS), employees=args.employees)
        rows = []
        for label, extra in (("SQLite, old settings", OLD_SETTINGS), ("SQLite, WAL+IMMEDIATE", {})):
            var_dir = root / label.split()[-1].replace("+", "-")
            shutil.copytree(template, var_dir)
            rows.append(measure(site.site_env(var_dir, None, **extra), label, args))
        try:
            url = recreate_postgres_database()
            pg_env = site.site_env(site.fresh_var_dir(root / "pg"), url)
            site.prepare(pg_env, employees=args.employees)
            rows.append(measure(pg_env, "PostgreSQL", args))
        finally:
            drop_postgres_database()
    old, new = rows[0], rows[1]
    print(
        f"SQLite new/old: write errors {new['write_errors']} vs {old['write_errors']}, "
        f"stored writes per second ×{new['writes_per_s'] / max(old['writes_per_s'], 1e-9):.2f}, "
        f"write p95 ×{new['write_p95'] / old['write_p95']:.2f}"
    )
    failed = [r["label"] for r in rows[1:] if r["write_errors"] or r["read_errors"]]
    lost = [r["label"] for r in rows[1:] if r["stored"] != r["writes"] - r["write_errors"]]
    if failed or lost:
        print(f"errors in: {failed}; stored count differs in: {lost}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
