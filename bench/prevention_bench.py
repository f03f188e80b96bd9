"""Survey results page on PostgreSQL: a round of the ten-factor instrument with 15,000
respondents in 500 units (issue #16: under 500 ms warm).

The organisation is built directly (bulk inserts): a root, 10 sectors, 489 departments; 18,000
invited employees spread over the departments, 15,000 of whom answered all 30 items. Baseline in
the same run: the bare counting the page needs (read the answers, tally and roll up the tree, the
factor scores and the suppression; no cache, no rendering). Then the page cold (cache empty) and
warm (median of 7), for the root and for one department, as an HR user.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/naervaer_prevention_bench .venv/bin/python bench/prevention_bench.py
"""

from __future__ import annotations

import datetime
import os
import statistics as stats
import sys
import time

RESPONDENTS = int(os.environ.get("PREVENTION_BENCH_RESPONDENTS", "15000"))
UNITS = 500
DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/naervaer_prevention_bench"
)


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'drop database "{name}" with (force)')
        conn.execute(f'create database "{name}"')


def _build(rng):
    """The organisation, its HR user and a closed round; returns (survey, root, one department)."""
    from django.contrib.auth import get_user_model

    from naervaer.org.models import Employee, Organisation, Role, RoleAssignment, Unit
    from naervaer.prevention import instrument_files, survey_services
    from naervaer.prevention.models import Invitation, Response, SurveyRound

    start = datetime.date(2020, 1, 1)
    organisation = Organisation.objects.create(name="Benchmark kommune", org_number="974760673")
    root = Unit.objects.create(
        organisation=organisation, name="Kommune", level="organisation", valid_from=start
    )
    sectors = Unit.objects.bulk_create(
        Unit(
            organisation=organisation,
            parent=root,
            name=f"Sektor {n}",
            level="sector",
            valid_from=start,
        )
        for n in range(10)
    )
    departments = Unit.objects.bulk_create(
        Unit(
            organisation=organisation,
            parent=sectors[n % 10],
            name=f"Avdeling {n:03d}",
            level="department",
            valid_from=start,
        )
        for n in range(UNITS - 11)
    )
    invited = int(RESPONDENTS * 1.2)
    employees = Employee.objects.bulk_create(
        (
            Employee(
                organisation=organisation,
                national_id=f"B{n:010d}",
                first_name="Person",
                last_name=str(n),
                birth_date=datetime.date(1980, 1, 1),
                sex="F",
            )
            for n in range(invited)
        ),
        batch_size=5000,
    )
    definition = instrument_files.shipped("psychosocial-10")
    survey = SurveyRound.objects.create(
        organisation=organisation,
        instrument=survey_services.stored_instrument(definition, None),
        root_unit=root,
        title="Benchmark",
        opens_on=start,
        closes_on=start + datetime.timedelta(days=14),
        status=SurveyRound.Status.CLOSED,
        bands=[{"key": "age", "label_nb": "Alder", "label_en": "Age", "options": ["<40", "40+"]}],
    )
    unit_of = rng.integers(0, len(departments), invited)
    Invitation.objects.bulk_create(
        (
            Invitation(
                round=survey,
                employee=employee,
                unit_id=departments[unit_of[n]].pk,
                nonce=f"{n:032x}",
                token_hash=f"{n:064x}",
                used=n < RESPONDENTS,
            )
            for n, employee in enumerate(employees)
        ),
        batch_size=5000,
    )
    items = len(definition["items"])
    values = rng.integers(1, 6, (RESPONDENTS, items))
    Response.objects.bulk_create(
        (
            Response(
                round=survey,
                unit_id=departments[unit_of[n]].pk,
                values=values[n].tolist(),
                bands={"age": "<40" if n % 3 else "40+"},
            )
            for n in range(RESPONDENTS)
        ),
        batch_size=5000,
    )
    user = get_user_model().objects.create_user("hr", "hr@example.org", "bench-password-1")
    RoleAssignment.objects.create(
        user=user, role=Role.HR, organisation=organisation, valid_from=start
    )
    return survey, root, departments[0], user


def main() -> int:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naervaer.web.settings")
    _ensure_database(DATABASE_URL)
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from naervaer.prevention import results

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SESSION_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    survey, root, department, user = _build(np.random.default_rng(16))
    print(
        f"built {RESPONDENTS:,} respondents in {UNITS} units in {time.perf_counter() - started:.1f} s"
    )

    cache.clear()
    started = time.perf_counter()
    counts = results._compute(survey)
    baseline = time.perf_counter() - started
    assert int(counts.tally.respondents[counts.tally.row(root.pk)]) == RESPONDENTS

    client = Client()
    client.force_login(user)
    figures = {}
    for name, unit in (("root", root), ("department", department)):
        url = f"/forebygging/undersokelser/{survey.pk}/enhet/{unit.pk}/"
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        warm = []
        for _ in range(7):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            warm.append(time.perf_counter() - started)
        figures[name] = (cold, stats.median(warm))
    print(
        f"baseline (read answers, tally, scores, suppression; no cache): {baseline * 1000:.0f} ms"
    )
    for name, (cold, warm) in figures.items():
        print(
            f"results page, {name}: cold {cold * 1000:.0f} ms ({cold / baseline:.2f}× baseline), "
            f"warm median of 7 {warm * 1000:.0f} ms ({warm / cold:.3f}× cold)"
        )
    worst = max(warm for _cold, warm in figures.values())
    verdict = "met" if worst < 0.5 else "MISSED"
    print(f"target: warm under 500 ms — {verdict} ({worst * 1000:.0f} ms)")
    return 0 if worst < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
