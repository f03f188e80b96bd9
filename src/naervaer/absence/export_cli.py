"""`naervaer export {units,employees,absences} --out FILE` — the import formats, so files round-trip."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from naervaer.absence.import_cli import TABLES

NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", choices=TABLES)
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.add_argument(
        "--format", choices=("csv", "xlsx"), help="default: from the file name (.xlsx), else csv"
    )
    parser.add_argument(
        "--organisation",
        metavar="ORGNR",
        help="organisation number (needed when the register holds several)",
    )


def run(args: argparse.Namespace) -> int:
    from naervaer.absence.exporting import export_table
    from naervaer.absence.import_cli import UsageError, organisation_for

    try:
        organisation = organisation_for(args.organisation)
        if not args.out.parent.is_dir():
            raise UsageError(f"the folder {args.out.parent} does not exist")
        count = export_table(args.table, organisation, args.out, args.format)
    except UsageError as error:
        print(f"naervaer export: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: {count} row(s) of {args.table} from {organisation.name}.")
    return 0
