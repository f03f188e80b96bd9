"""`naervaer import {units,employees,absences} FILE` — all-or-nothing import of a CSV or XLSX file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NEEDS_DJANGO = True
TABLES = ("units", "employees", "absences")


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "table", choices=TABLES, help="what the file holds (formats: docs/formats.md)"
    )
    parser.add_argument("file", type=Path, help="CSV (UTF-8, ; or , separated) or XLSX file")
    parser.add_argument(
        "--organisation",
        metavar="ORGNR",
        help="organisation number (needed when the register holds several)",
    )
    parser.add_argument(
        "--organisation-name",
        metavar="NAME",
        help="create the organisation ORGNR with this name if it does not exist",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check the whole file and report, but write nothing"
    )


def organisation_for(org_number: str | None, create_with_name: str | None = None):
    """The organisation to work on: the one named, or the only one there is."""
    from django.core.exceptions import ValidationError

    from naervaer.org import services
    from naervaer.org.models import Organisation

    if org_number:
        found = Organisation.objects.filter(org_number=org_number.replace(" ", "")).first()
        if found is None and create_with_name:
            try:
                return services.organisation_create(
                    name=create_with_name, org_number=org_number.replace(" ", "")
                )
            except ValidationError as error:
                raise UsageError(
                    "; ".join(m for ms in error.message_dict.values() for m in ms)
                ) from None
        if found is None:
            raise UsageError(
                f"no organisation with number {org_number}; give --organisation-name to create it"
            )
        return found
    organisations = list(Organisation.objects.all()[:2])
    if len(organisations) != 1:
        raise UsageError(
            "give --organisation ORGNR: "
            + (
                "the register has no organisation yet (add --organisation-name to create one)"
                if not organisations
                else "the register holds several organisations"
            )
        )
    return organisations[0]


def run(args: argparse.Namespace) -> int:
    from naervaer.absence.importing import import_absences
    from naervaer.org.importing import import_employees, import_units
    from naervaer.org.tabular import ImportRefused

    importers = {"units": import_units, "employees": import_employees, "absences": import_absences}
    try:
        organisation = organisation_for(args.organisation, args.organisation_name)
        result = importers[args.table](args.file, organisation, dry_run=args.dry_run)
    except (UsageError, ImportRefused) as error:
        print(f"naervaer import: {error}", file=sys.stderr)
        return 2
    verb = "would be" if result.dry_run else "were"
    print(
        f"{args.file.name}: {result.changed} changed — {result.created} record(s) {verb} created "
        f"and {result.updated} updated, {result.unchanged} unchanged "
        f"({args.table}, {organisation.name})."
    )
    return 0
