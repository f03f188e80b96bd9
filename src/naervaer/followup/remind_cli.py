"""`naervaer remind`: recompute today's milestone states, then e-mail each responsible person a
digest of what is due or overdue — at most once per item, so cron may run it every few minutes."""

from __future__ import annotations

import argparse
import datetime

NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="run as if today were this date (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--no-refresh", action="store_true", help="skip recomputing stale cases first"
    )


def run(args: argparse.Namespace) -> int:
    from naervaer.followup import reminders, services
    from naervaer.followup.models import FollowupCase

    today = args.today or datetime.date.today()
    if not args.no_refresh:
        services.refresh_stale(
            FollowupCase.objects.filter(current=True, closed_on__isnull=True), today
        )
    sent = reminders.send_reminders(today)
    print(f"{sent} reminder e-mail(s) sent")
    return 0
