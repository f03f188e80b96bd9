"""`naervaer manage ...` — Django's management commands (migrate, createsuperuser, ...)."""

from __future__ import annotations

import argparse

NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "args", nargs=argparse.REMAINDER, help="management command and its arguments"
    )


def run(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["naervaer manage", *args.args])
    return 0
