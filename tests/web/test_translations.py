"""The Norwegian catalogue is complete: every entry translated, none left fuzzy, placeholders kept."""

from __future__ import annotations

import re

import polib

from naervaer.web.management.commands.compiletranslations import catalogue_dirs

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def _catalogues() -> list[polib.POFile]:
    return [polib.pofile(str(d / "nb" / "LC_MESSAGES" / "django.po")) for d in catalogue_dirs()]


def _entries() -> list[polib.POEntry]:
    return [entry for po in _catalogues() for entry in po]


def test_every_entry_is_translated_and_reviewed() -> None:
    catalogues = _catalogues()
    assert sum(len(po) for po in catalogues) > 100
    assert [e.msgid for po in catalogues for e in po.untranslated_entries()] == []
    assert [e.msgid for po in catalogues for e in po.fuzzy_entries()] == []


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for entry in _entries():
        if not entry.translated():
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        wrong += [
            entry.msgid for text in translations if sorted(PLACEHOLDER.findall(text)) != expected
        ]
    assert wrong == []
