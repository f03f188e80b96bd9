"""`naervaer retention`: list what the retention rules have made due (the default, a dry run), or
delete and anonymise it with ``--apply`` (docs/retention.md). Safe from cron: a second run finds
nothing left, and a run started while another holds the command's lock says so and does nothing
(exit status 0). The listing names records by id, never by name."""

from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import asdict

NEEDS_DJANGO = True


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--apply", action="store_true", help="delete and anonymise what is due (default: only list)"
    )
    parser.add_argument(
        "--organisation", type=int, metavar="ID", help="only this organisation (default: all)"
    )
    parser.add_argument(
        "--today", type=_day, default=None, help="run as if today were this date (YYYY-MM-DD)"
    )


def _list(due) -> None:
    from naervaer.privacy.retention import ended_on

    for case in due.cases:
        print(
            f"  case {case.pk} (employee {case.employee_id}): ended {ended_on(case):%Y-%m-%d}, "
            f"due {due.clock.case_due_on(case):%Y-%m-%d}"
        )
    for person in due.persons:
        print(
            f"  person {person.pk}: last employment ended {person.left_on:%Y-%m-%d}, "
            f"due {due.clock.person_due_on(person.left_on):%Y-%m-%d}"
        )


def _one(organisation, today: datetime.date, apply: bool) -> dict[str, int]:
    """List (or apply) what is due in one organisation; the counts."""
    from naervaer.privacy import erasure, retention

    due = retention.due(organisation, today)
    rules = due.clock.rules
    print(
        f"{organisation.name} ({organisation.org_number}): follow-up documentation "
        f"{rules.case_years} years, persons {rules.employment_years} years after leaving, "
        f"NAV-side diagnoses {rules.diagnosis_months} months"
    )
    if apply:
        counts = asdict(erasure.apply(due))
    else:
        _list(due)
        counts = due.counts()
    print("  " + ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items()))
    return counts


def run(args: argparse.Namespace) -> int:
    from django.db import DatabaseError
    from django.utils import timezone

    from naervaer.org.models import Organisation
    from naervaer.web.command_lock import CommandLocked, command_lock

    today = args.today or timezone.localdate()
    organisations = Organisation.objects.order_by("pk")
    if args.organisation is not None:
        organisations = organisations.filter(pk=args.organisation)
        if not organisations.exists():
            print(
                f"naervaer retention: no organisation with id {args.organisation}", file=sys.stderr
            )
            return 2
    totals: dict[str, int] = {}
    try:
        with command_lock("retention"):
            for organisation in organisations:
                for name, n in _one(organisation, today, args.apply).items():
                    totals[name] = totals.get(name, 0) + n
    except CommandLocked:
        print("another `naervaer retention` is running; this run did nothing")
        return 0
    except DatabaseError as exc:
        print(
            f"naervaer retention: the database refused the run ({exc}); "
            "organisations already done stay done, nothing else was changed",
            file=sys.stderr,
        )
        return 2
    summary = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in totals.items())
    if args.apply:
        print(f"deleted or anonymised — {summary or 'no organisations'}")
    else:
        print(f"due — {summary or 'no organisations'} (dry run: nothing changed; --apply deletes)")
    return 0
