"""`naervaer remind`: recompute the open cases (so escalations and HR takeovers reach the case
history), then e-mail each responsible person a digest of what is due or overdue — at most once per
item, so cron may run it every few minutes. One run at a time: a run started while another is still
going says so and does nothing (exit status 0)."""

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
        "--no-refresh", action="store_true", help="skip recomputing the open cases first"
    )


def run(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from naervaer.followup import reminders
    from naervaer.followup.services import sync
    from naervaer.web.command_lock import CommandLocked, command_lock

    today = args.today or timezone.localdate()
    try:
        with command_lock("remind"):
            if not args.no_refresh:
                sync.refresh_open(today)
            sent = reminders.send_reminders(today)
    except CommandLocked:
        print("another `naervaer remind` is running; this run did nothing")
        return 0
    print(f"{sent} reminder e-mail(s) sent")
    return 0
