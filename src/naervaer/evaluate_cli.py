"""`naervaer evaluate`: evaluate an intervention on canonical input tables and write a PDF (and JSON) report.

Exit status 2 with one message on stderr for a bad spec or bad input, naming the field or file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input",
        required=True,
        type=Path,
        help="folder with units, employments, absences "
        "(and optionally persons, process) as .parquet or .csv",
    )
    parser.add_argument(
        "--spec", required=True, type=Path, help="intervention spec (TOML, see docs/evaluation.md)"
    )
    parser.add_argument("--out", required=True, type=Path, help="PDF report to write")
    parser.add_argument("--json", type=Path, help="also write the estimates as JSON records")


def _process_table(folder: Path):
    """The optional follow-up process table (unit_id, month, indicator, numerator, denominator)."""
    from naervaer.stats.schema import read_table

    found = [
        folder / f"process{suffix}"
        for suffix in (".parquet", ".csv")
        if (folder / f"process{suffix}").exists()
    ]
    return read_table(found[0]) if found else None


def run(args: argparse.Namespace) -> int:
    from naervaer.stats.evaluation import (
        InterventionSpec,
        SpecError,
        estimates_json,
        evaluate,
        write_pdf,
    )
    from naervaer.stats.schema import InputError, load_input

    missing = [p for p in (args.out, args.json) if p is not None and not p.parent.is_dir()]
    if missing:  # checked first: the evaluation can take minutes
        print(f"naervaer evaluate: the folder {missing[0].parent} does not exist", file=sys.stderr)
        return 2
    try:
        tables = load_input(args.input)
        units = tables["units"]
        known = dict(
            zip(units.column("unit_id").to_pylist(), units.column("name").to_pylist(), strict=True)
        )
        if not args.spec.is_file():
            raise SpecError("--spec", f"file not found: {args.spec}")
        spec = InterventionSpec.from_toml(args.spec, known_units=known)
        result = evaluate(tables, spec, process=_process_table(args.input))
    except SpecError as exc:
        print(f"naervaer evaluate: {args.spec}: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"naervaer evaluate: {args.input}: {exc}", file=sys.stderr)
        return 2
    write_pdf(result, args.out)
    if args.json:
        args.json.write_text(
            json.dumps(estimates_json(result), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    for sentences in result.verdicts.values():
        print(sentences["en"])
    print(f"wrote {args.out}" + (f" and {args.json}" if args.json else ""))
    return 0
