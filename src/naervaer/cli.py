"""The `naervaer` command: one entry point whose subcommands live beside the code they drive.

Each subcommand module exposes ``add_arguments(parser)`` and ``run(args) -> int`` and keeps its
heavy imports inside ``run`` so that ``naervaer --help`` stays fast. Commands that need the Django
app set ``NEEDS_DJANGO = True``; the dispatcher configures Django before calling them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMANDS: dict[str, tuple[str, str]] = {
    "rules": (
        "naervaer.rules.cli",
        "check a person's absence against the rules (cases, employer period, max date, milestones)",
    ),
    "stats": ("naervaer.stats.cli", "compute absence statistics from canonical input tables"),
    "evaluate": (
        "naervaer.evaluate_cli",
        "evaluate an intervention against reference units (PDF and JSON report)",
    ),
    "demo": ("naervaer.demo.cli", "generate the demo organisation (database or Parquet)"),
    "import": (
        "naervaer.absence.import_cli",
        "import units, employees and absences from CSV or XLSX",
    ),
    "export": (
        "naervaer.absence.export_cli",
        "export units, employees and absences to CSV or XLSX",
    ),
    "remind": (
        "naervaer.followup.remind_cli",
        "e-mail each responsible person a digest of due and overdue follow-up (idempotent, for cron)",
    ),
    "prevention": (
        "naervaer.prevention.cli",
        "survey invitations and reminders, overdue HSE measures (for cron); process table",
    ),
    "retention": (
        "naervaer.privacy.retention_cli",
        "list what the retention rules have made due; --apply deletes or anonymises it (for cron)",
    ),
    "serve": ("naervaer.web.serve_cli", "run the web application"),
    "manage": ("naervaer.web.manage_cli", "run a Django management command"),
}


def setup_django() -> None:
    """Configure Django for commands that use the application database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naervaer.web.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="naervaer", description="Nærvær — sickness-absence follow-up and statistics"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        command_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module = args._module
    if getattr(module, "NEEDS_DJANGO", False):
        setup_django()
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
