"""The Norwegian catalogue is complete: every entry translated, none left fuzzy, placeholders kept."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "nb" / "LC_MESSAGES" / "django.po"))


def test_every_entry_is_translated_and_reviewed() -> None:
    po = _catalogue()
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for entry in _catalogue().translated_entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        wrong += [
            entry.msgid for text in translations if sorted(PLACEHOLDER.findall(text)) != expected
        ]
    assert wrong == []
