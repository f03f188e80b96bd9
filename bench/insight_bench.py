"""Insight unit page on PostgreSQL with a 15,000-employee, 5-year demo municipality.

Targets (issue 5): under 500 ms warm and under 3 s cold (cache empty). The baseline in the same
run is the bare engine work the page needs (snapshot + month, quarter and four-quarter panels,
no cache, no rendering); the ratios show what the page adds on top and what the cache saves.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/naervaer_insight_bench .venv/bin/python bench/insight_bench.py
"""

from __future__ import annotations

import os
import statistics as stats
import sys
import time

EMPLOYEES = int(os.environ.get("INSIGHT_BENCH_EMPLOYEES", "15000"))
DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/naervaer_insight_bench"
)


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def main() -> int:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naervaer.web.settings")
    _ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SESSION_COOKIE_SECURE = False
    # Render without the collectstatic manifest (only `make assets` builds it), as the tests do.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from naervaer.demo.load import DEMO_PASSWORD, load_into_database
    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.org.models import Employee, Organisation, Unit

    started = time.perf_counter()
    message = load_into_database(generate(DemoConfig(employees=EMPLOYEES)), if_empty=True)
    print(f"load: {time.perf_counter() - started:.1f} s — {message}")
    organisation = Organisation.objects.get()
    print(f"employees in database: {Employee.objects.filter(organisation=organisation).count()}")
    root = Unit.objects.get(organisation=organisation, parent__isnull=True)

    from naervaer.absence.snapshot import canonical_tables
    from naervaer.insight import statistics
    from naervaer.stats import compute

    cache.clear()
    span = statistics.window(organisation)
    started = time.perf_counter()
    tables = canonical_tables(organisation)
    for kind in ("month", "quarter", "rolling4q"):
        compute(tables, by=("unit", kind), rollup=True, start=span.first, end=span.end_of(kind))
    engine = time.perf_counter() - started

    from naervaer.insight.warmup import warm_up

    warm_up()  # as `naervaer serve` does before it takes requests (engine imports, chart renderer)
    client = Client()
    assert client.login(username="hr", password=DEMO_PASSWORD)
    url = f"/innsikt/enhet/{root.pk}/"
    cache.clear()
    statistics._latest_snapshot.clear()  # the in-process snapshot too: cold means nothing kept
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    cold = time.perf_counter() - started
    warm_runs = []
    for _ in range(7):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        warm_runs.append(time.perf_counter() - started)
    warm = stats.median(warm_runs)
    print(f"engine baseline (snapshot + 3 panels, no cache): {engine:.2f} s")
    print(
        f"unit page cold (cache empty): {cold:.2f} s   ratio to engine baseline: {cold / engine:.2f}x   target < 3 s: {'OK' if cold < 3 else 'MISSED'}"
    )
    print(
        f"unit page warm (median of 7): {warm * 1000:.0f} ms   warm/cold: {warm / cold:.3f}   target < 500 ms: {'OK' if warm < 0.5 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
