"""`naervaer prevention …`: the cron job of the prevention side and the evaluation's process table.

``remind`` closes rounds past their closing day, sends survey invitations not yet sent and
reminders to those who have not answered (once per ``remind_every_days``), and e-mails owners of
overdue HSE measures once per measure — safe to run from cron every few minutes, one run at a time
(a run started while another is still going says so and does nothing).
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    remind = sub.add_parser("remind", help="survey invitations and reminders, overdue measures")
    remind.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="run as if today were this date (YYYY-MM-DD)",
    )
    table = sub.add_parser(
        "process-table", help="survey factors and HSE activity as the evaluation's process.csv"
    )
    table.add_argument("--organisation", type=int, required=True, help="organisation id")
    table.add_argument("--out", type=Path, required=True, help="CSV file to write")


def run(args: argparse.Namespace) -> int:
    if args.action == "remind":
        from naervaer.prevention import mailing
        from naervaer.web.command_lock import CommandLocked, command_lock

        today = args.today or datetime.date.today()
        try:
            with command_lock("prevention-remind"):
                closed = mailing.close_ended_rounds(today)
                surveys = mailing.send_survey_mail(today)
                measures = mailing.send_measure_reminders(today)
        except CommandLocked:
            print("another `naervaer prevention remind` is running; this run did nothing")
            return 0
        print(
            f"{closed} round(s) closed, {surveys} survey e-mail(s) and {measures} measure reminder(s) sent"
        )
        return 0
    from naervaer.prevention.process import process_table
    from naervaer.spreadsheet_text import inert_frame

    frame = process_table(args.organisation)
    inert_frame(frame).to_csv(args.out, index=False)
    print(f"{len(frame)} process rows written to {args.out}")
    return 0
