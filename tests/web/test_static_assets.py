"""Front-end assets come from the npm registry at install time and are collected locally."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders


def test_designsystemet_and_htmx_are_found_locally() -> None:
    for path in (
        "vendor/designsystemet/src/index.css",
        "vendor/designsystemet/theme/designsystemet.css",
        "vendor/htmx/htmx.min.js",
        "naervaer/app.css",
    ):
        found = finders.find(path)
        assert found, f"{path} is not installed (run `make install`)"
        assert Path(found).stat().st_size > 0


def test_translations_compile_without_gettext(tmp_path: Path) -> None:
    from naervaer.web.management.commands.compiletranslations import (
        catalogue_dirs,
        compile_catalogues,
    )

    locale = tmp_path / "locale"
    po = locale / "nb" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    source = catalogue_dirs()[0] / "nb" / "LC_MESSAGES" / "django.po"
    po.write_bytes(source.read_bytes())
    written = compile_catalogues([locale])
    assert written == [po.with_suffix(".mo")]
    assert po.with_suffix(".mo").read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
    assert compile_catalogues([locale]) == [], "an up-to-date catalogue is not compiled again"
