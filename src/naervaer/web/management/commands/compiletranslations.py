"""Compile .po catalogues to .mo with polib, so a fresh machine needs no GNU gettext tools."""

from __future__ import annotations

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    """Our ``locale`` directories: each of our apps' own, then LOCALE_PATHS.

    Each app keeps its own catalogue, so work on two apps never edits the same file.
    """
    found = [
        Path(config.path) / "locale"
        for config in apps.get_app_configs()
        if config.name.startswith("naervaer.")
    ]
    found += [Path(p) for p in settings.LOCALE_PATHS]
    return [path for path in found if path.is_dir()]


def compile_catalogues(locale_dirs: list[Path]) -> list[Path]:
    """Write a .mo beside every .po that is newer than its .mo; return the files written."""
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) without system gettext tools."

    def handle(self, *args: object, **options: object) -> None:
        written = compile_catalogues(catalogue_dirs())
        for path in written:
            self.stdout.write(f"compiled {path}")
