"""No lost writes on SQLite: 20 logged-in users saving follow-up talks at once against the real
server (``naervaer serve`` on a SQLite file), and concurrent ``naervaer remind`` runs.

The server runs in its own process on its own database, as in production; the load is the same as
``bench/concurrent_load.py``'s (``bench/_live_site.py``).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.smtp import running_inbox

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import _live_site as site

WRITERS = 20
SECONDS = 5


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory) -> dict[str, str]:
    """A migrated SQLite database in a var dir of its own, with a small demo organisation."""
    env = site.site_env(tmp_path_factory.mktemp("sqlite-site"), database_url=None)
    site.prepare(env)
    return env


def test_twenty_concurrent_writers_lose_nothing(sqlite_site):
    cases = site.writable_cases(sqlite_site, WRITERS)
    assert len(cases) == WRITERS
    with site.serving(sqlite_site) as url:
        result, marker = site.run_load(url, cases, writers=WRITERS, readers=0, seconds=SECONDS)
    assert result.write_errors == 0, result.statuses
    assert result.write_ok >= WRITERS  # every writer got at least one talk saved
    assert site.stored_talks(sqlite_site, marker) == result.write_ok


def test_concurrent_remind_runs_neither_crash_nor_send_twice(sqlite_site):
    command = [str(site.NAERVAER), "remind", "--today", "2026-10-20"]
    with running_inbox() as (inbox, port):
        env = {**sqlite_site, "NAERVAER_EMAIL_PORT": str(port)}
        runs = [
            subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        outputs = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    assert [(code, err) for code, _out, err in outputs] == [(0, "")] * 6
    said = Counter(
        "sent" if out.endswith("reminder e-mail(s) sent\n") else out for _code, out, _err in outputs
    )
    skipped = "another `naervaer remind` is running; this run did nothing\n"
    assert set(said) <= {"sent", skipped} and said["sent"] >= 1
    sent = sum(int(out.split()[0]) for _code, out, _err in outputs if not out.startswith("another"))
    assert sent == len(inbox.messages) > 0
    # Each item at most once per person across all the runs' digests.
    lines = Counter(
        (tuple(rcpt), line)
        for rcpt, body in inbox.messages
        for line in body.splitlines()
        if line.startswith("- ")
    )
    assert lines and max(lines.values()) == 1
