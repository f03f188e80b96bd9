"""`naervaer demo generate`: the demo municipality into the database, or national-scale files."""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

from naervaer.demo import MIN_EMPLOYEES

FORMATS = ("db", "parquet", "csv")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _positive_int(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    gen = sub.add_parser(
        "generate", help="build the synthetic municipality (deterministic by seed)"
    )
    gen.add_argument(
        "--employees",
        type=_positive_int(MIN_EMPLOYEES),
        default=2500,
        help=f"staff in sites and departments (at least {MIN_EMPLOYEES}; management comes on top)",
    )
    gen.add_argument(
        "--seed", type=int, default=1, help="random seed; the same seed gives the same organisation"
    )
    gen.add_argument("--years", type=_positive_int(1), default=5, help="years of absence history")
    gen.add_argument(
        "--today",
        "--end-date",
        dest="end_date",
        type=_date,
        default=None,
        help="the demo's today, the last day of the history (YYYY-MM-DD; default: today); "
        "sick notes running on it go on after it",
    )
    gen.add_argument(
        "--format",
        choices=FORMATS,
        default="db",
        help="db (default): load into the application database; parquet/csv: write the canonical statistics tables",
    )
    gen.add_argument("--out", type=Path, help="output directory for --format parquet or csv")
    gen.add_argument(
        "--if-empty",
        action="store_true",
        help="with --format db: do nothing if the database already has an organisation",
    )
    gen.set_defaults(_parser=gen)


def _progress(message: str, started: float) -> None:
    if sys.stderr.isatty():
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if args.format != "db" and args.out is None:
        args._parser.error(f"--out DIR is required with --format {args.format}")
    if args.format == "db" and args.out is not None:
        args._parser.error("--out only applies to --format parquet or csv")

    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.demo.tables import write_tables

    started = time.perf_counter()
    config = DemoConfig(
        employees=args.employees,
        seed=args.seed,
        years=args.years,
        end_date=args.end_date or datetime.date.today(),
        names=args.format == "db",
    )
    _progress(
        f"generating {config.employees:,} employees, {config.start_date} – {config.end_date}",
        started,
    )
    org = generate(config)
    _progress(
        f"generated {org.employments.num_rows:,} employments and {org.absences.num_rows:,} absences",
        started,
    )
    if args.format == "db":
        from naervaer.cli import setup_django

        setup_django()
        from naervaer.demo.load import load_into_database

        print(load_into_database(org, if_empty=args.if_empty))
        return 0
    paths = write_tables(org, args.out, args.format)
    _progress("written", started)
    for path in paths:
        print(path)
    return 0
