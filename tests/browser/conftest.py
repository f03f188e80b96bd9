"""Browser tests: Playwright drives Debian's chromium (its own browser download does not work here).

Pages are served by pytest-django's live server; screenshots go to ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NAERVAER_CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the live server's ORM use is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _journeys_without_second_factor(settings) -> None:
    """The journeys here are about their pages and log in as `make demo` does (NAERVAER_2FA=off);
    test_second_factor_browser.py turns the step back on and goes through it."""
    settings.NAERVAER_2FA = "off"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser context per test; fails the test on any console error (e.g. a CSP violation)."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as a test artifact: ``screenshot(page, "name")``."""

    def save(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: run `make install`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def serious_axe_violations(axe_source):
    """``serious_axe_violations(page)``: axe-core's serious and critical findings on the current page.

    axe is evaluated through the DevTools protocol, outside the page's CSP, so the policy stays strict.
    """

    def check(page) -> list[dict]:
        return _serious_violations(page, axe_source)

    return check


def _serious_violations(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"
    )
    violations = json.loads(result)["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
