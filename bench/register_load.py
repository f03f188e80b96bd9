"""Demo organisation → application database: the bulk loader against row-by-row service calls.

Baseline (same run, same data): every unit, employee, employment and absence registered through
the services (``full_clean()`` + ``save()`` per row, as an interactive user would), on a
100-employee organisation. Then the bulk loader on the same organisation (ratio) and on the
full 2,500-employee × 5-year demo (target: well under a minute), and the ORM → Arrow snapshot.
SQLite in a temporary directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ["NAERVAER_VAR_DIR"] = tempfile.mkdtemp(prefix="naervaer-bench-")
os.environ.pop("DATABASE_URL", None)

from naervaer.cli import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from naervaer.absence import services as absence_services  # noqa: E402
from naervaer.absence.snapshot import canonical_tables  # noqa: E402
from naervaer.demo.load import load_into_database  # noqa: E402
from naervaer.demo.synth import DemoConfig, DemoOrganisation, generate  # noqa: E402
from naervaer.org import services as org_services  # noqa: E402
from naervaer.org.models import Organisation  # noqa: E402

LEVELS = ["organisation", "sector", "department", "site"]


@transaction.atomic
def load_through_services(org: DemoOrganisation) -> None:
    organisation = org_services.organisation_create(
        name=org.organisation["name"], org_number=org.organisation["org_number"]
    )
    units = {}
    for row in sorted(org.units.to_pylist(), key=lambda r: LEVELS.index(r["level"])):
        units[row["unit_id"]] = org_services.unit_create(
            organisation=organisation,
            name=row["name"],
            level=row["level"],
            parent=units.get(row["parent_id"]),
            sector_code=row["sector"] or "",
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
        )
    people = {
        row["employee_id"]: org_services.employee_create(
            organisation=organisation,
            national_id=row["national_id"],
            first_name=row["first_name"],
            last_name=row["last_name"],
        )
        for row in org.persons.to_pylist()
    }
    employments = {
        row["employment_id"]: org_services.employment_create(
            employee=people[row["employee_id"]],
            unit=units[row["unit_id"]],
            start_date=row["start_date"],
            end_date=row["end_date"],
            position_percent=row["position_percent"],
            occupation=row["occupation"] or "",
            nearest_leader=people.get(row["leader_employee_id"]),
        )
        for row in org.employments.to_pylist()
    }
    for row in org.absences.to_pylist():
        employment = employments[row["employment_id"]]
        if row["kind"] == "self_certified":
            absence_services.self_certification_register(
                actor=None,
                employment=employment,
                start_date=row["start_date"],
                end_date=row["end_date"],
            )
        else:
            absence_services.sick_note_period_register(
                actor=None,
                employment=employment,
                note_type=row["note_type"],
                grade=int(row["grade_percent"]),
                start_date=row["start_date"],
                end_date=row["end_date"],
                received_on=row["start_date"],
            )


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:8.2f} s", flush=True)
    return seconds


def main() -> int:
    call_command("migrate", verbosity=0)
    small = generate(DemoConfig(employees=100, seed=1))
    print(
        f"small: {small.persons.num_rows} persons, {small.employments.num_rows} employments, {small.absences.num_rows} absences"
    )
    baseline = timed(
        "baseline: services row by row, 100 employees", lambda: load_through_services(small)
    )
    call_command("flush", interactive=False, verbosity=0)
    bulk_small = timed("bulk loader, 100 employees", lambda: load_into_database(small))
    call_command("flush", interactive=False, verbosity=0)
    full = generate(DemoConfig(employees=2500, seed=1))
    print(
        f"full: {full.persons.num_rows} persons, {full.employments.num_rows} employments, {full.absences.num_rows} absences"
    )
    bulk_full = timed("bulk loader, 2,500 employees x 5 years", lambda: load_into_database(full))
    organisation = Organisation.objects.get()
    snapshot = timed(
        "snapshot (ORM -> Arrow), 2,500 employees", lambda: canonical_tables(organisation)
    )
    print(f"ratio baseline / bulk (100 employees): {baseline / bulk_small:.1f}x faster")
    print(
        f"full load within one minute: {'yes' if bulk_full < 60 else 'NO'} ({bulk_full:.1f} s); snapshot {snapshot:.2f} s"
    )
    return 0 if bulk_full < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
