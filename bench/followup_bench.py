"""Follow-up pages on the demo organisation in PostgreSQL: server time of the leader's start page
and a case page, warm (target: under 300 ms each).

Baseline (same run): the bare start page ``/`` (session, menu and base layout only), so the ratio
says what the follow-up pages cost on top of any page (they never recompute: a read derives the
milestone states from the stored schedule). Also reported: computing every case and milestone of
the demo from the register
(``cases_refresh_all``, what a demo load or bulk import triggers; target under 30 s) — from empty
and again over unchanged absences — against the per-employment path (``cases_refresh`` one
employment at a time, timed on REFRESH_SAMPLE employments and scaled to all).

Uses a scratch database ``naervaer_followup_bench`` on the PostgreSQL server of ``BENCH_POSTGRES``
(default postgres://postgres@127.0.0.1:5432), dropped at the end; ``BENCH_DB=sqlite`` uses a
scratch SQLite file instead (the embedded default the demo runs on).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
NAME = "naervaer_followup_bench"
SQLITE = os.environ.get("BENCH_DB") == "sqlite"
SQLITE_FILE = Path(tempfile.gettempdir()) / f"{NAME}.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}" if SQLITE else f"{SERVER}/{NAME}"
REFRESH_SAMPLE = 250


def drop_scratch_database() -> None:
    if SQLITE:
        SQLITE_FILE.unlink(missing_ok=True)
        return
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")


drop_scratch_database()
if not SQLITE:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {NAME}")

from naervaer.cli import setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from naervaer.demo.load import load_into_database  # noqa: E402
from naervaer.demo.synth import DemoConfig, generate  # noqa: E402
from naervaer.followup import selectors  # noqa: E402
from naervaer.followup.models import FollowupCase  # noqa: E402
from naervaer.followup.services import sync  # noqa: E402
from naervaer.org.models import Employment  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REPEAT = 20


def timed(client: Client, url: str) -> float:
    """Median server time in ms over REPEAT warm requests (after two warm-up requests)."""
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(samples)


def time_refresh() -> tuple[float, float, float, int]:
    """Seconds for the bulk refresh from empty and over unchanged absences, the per-employment
    path scaled to all employments, and the number of cases."""
    FollowupCase.objects.all().delete()
    start = time.perf_counter()
    cases = sync.cases_refresh_all()
    fresh = time.perf_counter() - start
    start = time.perf_counter()
    sync.cases_refresh_all()
    again = time.perf_counter() - start
    sample = list(
        Employment.objects.select_related("employee", "unit").order_by("pk")[:REFRESH_SAMPLE]
    )
    FollowupCase.objects.filter(employment__in=sample).delete()
    start = time.perf_counter()
    for employment in sample:
        sync.cases_refresh(employment)
    per_employment = (time.perf_counter() - start) * Employment.objects.count() / len(sample)
    return fresh, again, per_employment, cases


def main() -> int:
    try:
        call_command("migrate", verbosity=0)
        load_into_database(generate(DemoConfig(employees=2500, seed=1)))
        refresh = time_refresh()
        leader = get_user_model().objects.get(username="leder")
        # The demo ends today: the leader's work list has the scripted open cases (demo.stages).
        client = Client()
        client.force_login(leader)
        rows = selectors.worklist(leader)
        case = rows[0].case if rows else selectors.visible_cases(leader).order_by("-start").first()
        base = timed(client, reverse("home"))
        worklist = timed(client, reverse("followup:worklist"))
        case_page = timed(client, reverse("followup:case", args=[case.pk]))
        fresh, again, per_employment, cases = refresh
        print(
            f"demo: {cases} cases; cases_refresh_all from empty {fresh:.1f} s, again over unchanged absences {again:.1f} s "
            f"(target < 30 s: {'met' if max(fresh, again) < 30 else 'MISSED'})"
        )
        print(
            f"baseline: per-employment cases_refresh, scaled from {REFRESH_SAMPLE} employments: {per_employment:.1f} s; "
            f"ratio bulk/baseline {fresh / per_employment:.2f}x"
        )
        print(
            f"leader's open cases on the work list: {len(rows)}; case page of a case with {case.milestones.count()} milestones"
        )
        print(f"baseline start page /           {base:7.1f} ms")
        print(
            f"work list /oppfolging/          {worklist:7.1f} ms  ratio {worklist / base:4.1f}x  target < 300 ms: {'met' if worklist < 300 else 'MISSED'}"
        )
        print(
            f"case page (warm)                {case_page:7.1f} ms  ratio {case_page / base:4.1f}x  target < 300 ms: {'met' if case_page < 300 else 'MISSED'}"
        )
    finally:
        connections.close_all()
        drop_scratch_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
