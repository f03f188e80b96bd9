"""`naervaer stats`: absence statistics from an input folder of canonical tables.

Output is masked (fewer than 5 persons) and percents are rounded half-up to one decimal; day
counts are shown with up to six decimals. Bad input exits with status 2 and one message naming
the file, row and column.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

FORMATS = ("csv", "parquet", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input",
        required=True,
        metavar="DIR",
        help="folder with units, employments, "
        "absences (and optionally persons) as .parquet, .csv or .arrow files",
    )
    parser.add_argument(
        "--by",
        default="unit,month",
        help="unit and one of month, quarter, year, "
        "rolling4q, comma separated (default unit,month)",
    )
    parser.add_argument(
        "--breakdown", choices=("occupation", "sex", "age_band"), help="split each cell further"
    )
    parser.add_argument(
        "--rollup", action="store_true", help="credit each unit with its whole subtree"
    )
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--format", choices=FORMATS, default="csv")
    parser.add_argument(
        "--out", metavar="FILE", help="output file (default: standard output; parquet needs a file)"
    )
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day of the range")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day of the range")


def presented(frame: pd.DataFrame) -> pd.DataFrame:
    """Percent-like columns as half-up one-decimal Decimals turned to text, day counts to 6 decimals."""
    import pandas as pd

    from naervaer.stats.rounding import exact_days, present_percent

    out = frame.copy()
    for column in out.columns:
        if column.endswith("_percent") or column in (
            "graded_share",
            "trend_pp",
            "spells_per_employee_year",
            "average_spell_days",
        ):
            out[column] = [None if pd.isna(v) else str(present_percent(v)) for v in out[column]]
        elif column.startswith("lost_") or column == "possible_workdays":
            out[column] = [
                None if pd.isna(v) else str(exact_days(v).normalize()) for v in out[column]
            ]
    return out


def _date(text: str | None, flag: str) -> dt.date | None:
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag}: {text!r} is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    from naervaer.spreadsheet_text import inert_frame
    from naervaer.stats.api import compute
    from naervaer.stats.progress import Progress
    from naervaer.stats.schema import InputError, load_input

    if args.format == "parquet" and not args.out:
        print("stats: --format parquet needs --out FILE", file=sys.stderr)
        return 2
    progress = Progress(total=5)
    try:
        tables = load_input(args.input)
        progress.step("validated input")
        frame = compute(
            tables,
            by=tuple(args.by.split(",")),
            engine=args.engine,
            rollup=args.rollup,
            breakdown=args.breakdown,
            start=_date(args.start, "--from"),
            end=_date(args.end, "--to"),
            progress=progress,
        )
    except (InputError, ValueError) as exc:
        progress.close()
        print(f"stats: {exc}", file=sys.stderr)
        return 2
    out = presented(frame)
    progress.step("formatted")
    progress.close()
    if args.format == "parquet":
        out.astype({c: "string" for c in out.columns if out[c].dtype == object}).to_parquet(
            args.out, index=False
        )
    elif args.format == "json":
        text = out.to_json(orient="records", force_ascii=False, indent=1)
        _write(text, args.out)
    else:
        _write(inert_frame(out).to_csv(index=False), args.out)
    return 0


def _write(text: str, path: str | None) -> None:
    if path:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
