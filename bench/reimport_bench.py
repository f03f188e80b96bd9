"""Re-importing the demo's own export (issue #11: under 30 s, "0 changed"; once 993 s).

Loads the 2,500-employee demo municipality into a fresh SQLite database (the embedded default),
exports units, employees and absences with `naervaer export`'s code, then imports the three files
again and times it: nothing has changed, so every row must come back "unchanged" and nothing but
the import's log line is written. Baseline in the same run: the row-by-row way the import worked
before (every stored record validated with ``full_clean()`` and saved, then the follow-up of every
employment recomputed), run on a sample of absence rows and scaled to the whole file.

    .venv/bin/python bench/reimport_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

EMPLOYEES = int(os.environ.get("REIMPORT_BENCH_EMPLOYEES", "2500"))
SAMPLE = 500  # absence rows the baseline runs on


def _baseline_seconds_per_row(records: list) -> float:
    """The old import's work per absence row: validate and save the stored record, then refresh
    its employment's follow-up (inside a rolled-back transaction, so the data stays as it was)."""
    from django.db import transaction

    from naervaer.absence.services import absences_changed

    started = time.perf_counter()
    with transaction.atomic():
        for record in records:
            record.full_clean()
            record.save()
        absences_changed({record.employment for record in records})
        transaction.set_rollback(True)
    return (time.perf_counter() - started) / len(records)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="naervaer-reimport-"))
    os.environ["NAERVAER_VAR_DIR"] = str(folder)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naervaer.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from naervaer.absence.exporting import export_table
    from naervaer.absence.importing import import_absences
    from naervaer.absence.models import SickNotePeriod
    from naervaer.demo.load import load_into_database
    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.org.importing import import_employees, import_units
    from naervaer.org.models import Organisation

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_into_database(generate(DemoConfig(employees=EMPLOYEES)))
    print(f"demo of {EMPLOYEES} employees loaded in {time.perf_counter() - started:.1f} s")
    organisation = Organisation.objects.get()
    importers = {"units": import_units, "employees": import_employees, "absences": import_absences}
    rows, total, changed = {}, 0.0, 0
    for table, importer in importers.items():
        path = folder / f"{table}.csv"
        rows[table] = export_table(table, organisation, path)
        started = time.perf_counter()
        result = importer(path, organisation)
        seconds = time.perf_counter() - started
        total += seconds
        changed += result.changed
        print(
            f"re-import {table}: {rows[table]} rows in {seconds:.1f} s — {result.changed} changed, "
            f"{result.unchanged} unchanged"
        )
    sample = list(
        SickNotePeriod.objects.filter(organisation=organisation).select_related("employment")[
            :SAMPLE
        ]
    )
    per_row = _baseline_seconds_per_row(sample)
    baseline = per_row * sum(rows.values())
    print(f"re-import of all three files: {total:.1f} s, {changed} changed (target < 30 s, 0)")
    print(
        f"baseline row by row: {per_row * 1000:.1f} ms a row on {len(sample)} sick-note rows, "
        f"≈ {baseline:.0f} s for the {sum(rows.values())} rows — ratio {baseline / total:.0f}×"
    )
    return 0 if changed == 0 and total < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
