"""Put a generated demo organisation (``naervaer.demo.synth``) into the application database.

Speed: rows go in with ``bulk_create`` in batches instead of one validated ``save()`` each, so
2,500 employees × 5 years load in seconds. That skips the models' database-backed checks only
where the generator guarantees them (unique ids, valid tree, absences inside their employment,
no overlapping absences of one employment); the cheap pure checks still run on every row —
identity numbers, sick-note rules (``absence.validation``), position percent, date order and the
overlap check over each employment's sorted absences — and a broken row stops the load with a
message before anything is committed. Self-certification quota flags are computed with the same
rules function the services use.

Demo users, all with the password ``DEMO_PASSWORD``, are listed in ``DEMO_USERS``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.absence.services import QUOTA_RULE_SETS
from naervaer.absence.validation import sick_note_problems
from naervaer.demo.activity import load_activity
from naervaer.demo.prevention import load_prevention
from naervaer.followup.services.sync import cases_refresh_all
from naervaer.org.models import (
    Employee,
    Employment,
    Organisation,
    PositionChange,
    Role,
    RoleAssignment,
    Unit,
)
from naervaer.org.validation import date_range_problems, identity_facts, position_percent_problems
from naervaer.rules import self_certification_breaches
from naervaer.rules.values import Period

if TYPE_CHECKING:
    from naervaer.demo.synth import DemoOrganisation

DEMO_PASSWORD = "naervaer-demo"
DEMO_USERS: list[tuple[str, str, str]] = [
    (
        "admin",
        Role.ADMIN,
        "Systemansvarlig: brukere, roller og organisasjon (Django-superbruker), ikke saksinnhold",
    ),
    ("hr", Role.HR, "HR-rådgiver i personalavdelingen: alle saker i kommunen"),
    (
        "enhetsleder",
        Role.UNIT_LEADER,
        "Kommunalsjef for en sektor: statistikk og lederes oppfølging i egen sektor",
    ),
    ("leder", Role.NEAREST_LEADER, "Nærmeste leder med flere medarbeidere, noen av dem sykmeldt"),
    ("ansatt", Role.EMPLOYEE, "Arbeidstaker med fraværshistorikk: ser egen sak og egne planer"),
    ("bht", Role.OCCUPATIONAL_HEALTH, "Bedriftshelsetjenesten"),
    ("nav", Role.NAV, "NAV-veileder: NAV-sidens oppfølging, ser diagnose"),
    ("verneombud", Role.SAFETY_REP, "Verneombud: bare sammenstilt (maskert) statistikk"),
    ("tillitsvalgt", Role.UNION_REP, "Tillitsvalgt: bare sammenstilt (maskert) statistikk"),
    ("analytiker", Role.ANALYST, "Analytiker: statistikk og evaluering, ingen enkeltpersoner"),
]
# Names of the demo users who are not employees of the demo municipality, so the access log
# ("who has seen my case") names them as it names everyone else.
DEMO_NAMES = {
    "admin": ("Arne", "Aasen"),
    "hr": ("Hanne", "Haugen"),
    "bht": ("Bjørg", "Berntsen"),
    "nav": ("Nils", "Nygård"),
    "verneombud": ("Vigdis", "Vold"),
    "tillitsvalgt": ("Tore", "Tangen"),
    "analytiker": ("Anita", "Lund"),
}
BATCH = 2000
LEVEL_ORDER = [level.value for level in Unit.Level]


class DemoDataError(ValueError):
    """The generated organisation broke a register rule; nothing was loaded."""


def _check(problems: list, what: str) -> None:
    if problems:
        raise DemoDataError(f"{what}: " + "; ".join(f"{p.field}: {p.message}" for p in problems))


def _units(org: DemoOrganisation, organisation: Organisation) -> dict[int, int]:
    """Create the tree level by level so parents exist first; returns demo unit id → database id."""
    rows = sorted(org.units.to_pylist(), key=lambda r: LEVEL_ORDER.index(r["level"]))
    ids: dict[int, int] = {}
    for level in LEVEL_ORDER:
        batch = [r for r in rows if r["level"] == level]
        for r in batch:
            _check(
                date_range_problems(r["valid_from"], r["valid_to"], "valid_from", "valid_to"),
                f"unit {r['unit_id']}",
            )
        created = Unit.objects.bulk_create(
            [
                Unit(
                    organisation=organisation,
                    parent_id=ids.get(r["parent_id"]),
                    name=r["name"],
                    level=level,
                    sector_code=r["sector"] or "",
                    valid_from=r["valid_from"],
                    valid_to=r["valid_to"],
                    external_id=f"U{r['unit_id']}",
                )
                for r in batch
            ],
            batch_size=BATCH,
        )
        ids.update({r["unit_id"]: unit.pk for r, unit in zip(batch, created, strict=True)})
    return ids


def _employees(org: DemoOrganisation, organisation: Organisation) -> dict[int, int]:
    employees = []
    for r in org.persons.to_pylist():
        facts = identity_facts(r["national_id"])
        if isinstance(facts, list):
            _check(facts, f"person {r['employee_id']}")
        if (facts.birth_date, facts.sex) != (r["birth_date"], r["sex"]):
            raise DemoDataError(
                f"person {r['employee_id']}: birth date/sex do not match national id {r['national_id']}"
            )
        employees.append(
            Employee(
                organisation=organisation,
                national_id=facts.number,
                first_name=r["first_name"],
                last_name=r["last_name"],
                birth_date=facts.birth_date,
                sex=facts.sex,
                external_id=f"P{r['employee_id']}",
            )
        )
    created = Employee.objects.bulk_create(employees, batch_size=BATCH)
    return {int(e.external_id[1:]): e.pk for e in created}


def _employments(
    org: DemoOrganisation,
    organisation: Organisation,
    unit_ids: dict[int, int],
    employee_ids: dict[int, int],
) -> dict[int, Employment]:
    rows = org.employments.to_pylist()
    for r in rows:
        _check(
            date_range_problems(r["start_date"], r["end_date"])
            + position_percent_problems(r["position_percent"]),
            f"employment {r['employment_id']}",
        )
    created = Employment.objects.bulk_create(
        [
            Employment(
                organisation=organisation,
                employee_id=employee_ids[r["employee_id"]],
                unit_id=unit_ids[r["unit_id"]],
                occupation=r["occupation"] or "",
                start_date=r["start_date"],
                end_date=r["end_date"],
                nearest_leader_id=employee_ids.get(r["leader_employee_id"]),
                external_id=f"E{r['employment_id']}",
            )
            for r in rows
        ],
        batch_size=BATCH,
    )
    PositionChange.objects.bulk_create(
        [
            PositionChange(
                employment=e,
                valid_from=r["start_date"],
                position_percent=Decimal(str(r["position_percent"])),
            )
            for r, e in zip(rows, created, strict=True)
        ],
        batch_size=BATCH,
    )
    return {r["employment_id"]: e for r, e in zip(rows, created, strict=True)}


def _absences(
    org: DemoOrganisation, organisation: Organisation, employments: dict[int, Employment]
) -> tuple[int, int]:
    rows = sorted(org.absences.to_pylist(), key=lambda r: (r["employment_id"], r["start_date"]))
    certifications: list[SelfCertification] = []
    notes: list[SickNotePeriod] = []
    previous: dict | None = None
    for r in rows:
        employment = employments[r["employment_id"]]
        start, end = r["start_date"], r["end_date"]
        where = f"absence {r['absence_id']}"
        if (
            previous is not None
            and previous["employment_id"] == r["employment_id"]
            and start <= previous["end_date"]
        ):
            raise DemoDataError(
                f"{where} overlaps absence {previous['absence_id']} of the same employment"
            )
        previous = r
        common = {
            "organisation": organisation,
            "employment": employment,
            "start_date": start,
            "end_date": end,
            "external_id": f"A{r['absence_id']}",
        }
        if r["kind"] == "self_certified":
            _check(date_range_problems(start, end), where)
            certifications.append(SelfCertification(**common))
        else:
            grade = int(r["grade_percent"])
            _check(sick_note_problems(r["note_type"], start, end, grade, None, start), where)
            notes.append(
                SickNotePeriod(note_type=r["note_type"], grade=grade, received_on=start, **common)
            )
    _flag_quotas(organisation, certifications)
    SelfCertification.objects.bulk_create(certifications, batch_size=BATCH)
    SickNotePeriod.objects.bulk_create(notes, batch_size=BATCH)
    return len(certifications), len(notes)


def _flag_quotas(organisation: Organisation, certifications: list[SelfCertification]) -> None:
    by_employment: dict[int, list[SelfCertification]] = defaultdict(list)
    for certification in certifications:
        by_employment[id(certification.employment)].append(certification)
    rule_set = QUOTA_RULE_SETS[organisation.self_certification_rules]
    for group in by_employment.values():
        for breach in self_certification_breaches(
            [Period(c.start_date, c.end_date) for c in group],
            group[0].employment.start_date,
            rule_set,
        ):
            certification = group[breach.index]
            certification.quota_breach = True
            certification.quota_breach_reason = "; ".join(
                filter(None, [certification.quota_breach_reason, breach.message])
            )[:300]


def _demo_users(
    org: DemoOrganisation,
    organisation: Organisation,
    unit_ids: dict[int, int],
    employee_ids: dict[int, int],
) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 per user would cost seconds
    people = org.people
    sector_of_head = next(
        r["unit_id"]
        for r in org.leaders.to_pylist()
        if r["employee_id"] == people["enhetsleder"] and r["role"] == "unit_leader"
    )
    start = min(r["valid_from"] for r in org.units.to_pylist())
    for username, role, _description in DEMO_USERS:
        User.objects.filter(username=username).delete()
        first_name, last_name = DEMO_NAMES.get(username, ("", ""))
        user = User.objects.create(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        if username in people:
            employee = Employee.objects.get(pk=employee_ids[people[username]])
            employee.user = user
            employee.save(update_fields=["user"])
            user.first_name, user.last_name = employee.first_name, employee.last_name
            user.save(update_fields=["first_name", "last_name"])
        if role not in (Role.EMPLOYEE, Role.NEAREST_LEADER):
            unit_id = unit_ids[sector_of_head] if role == Role.UNIT_LEADER else None
            RoleAssignment.objects.create(
                user=user, role=role, organisation=organisation, unit_id=unit_id, valid_from=start
            )


@transaction.atomic
def load_into_database(org: DemoOrganisation, if_empty: bool = False) -> str:
    """Load the demo organisation with its demo users; with ``if_empty`` do nothing when an organisation exists."""
    if if_empty and Organisation.objects.exists():
        return "The database already holds an organisation; the demo was not loaded."
    organisation = Organisation(
        name=org.organisation["name"], org_number=org.organisation["org_number"]
    )
    organisation.full_clean()
    organisation.save()
    unit_ids = _units(org, organisation)
    employee_ids = _employees(org, organisation)
    employments = _employments(org, organisation, unit_ids, employee_ids)
    certifications, notes = _absences(org, organisation, employments)
    _demo_users(org, organisation, unit_ids, employee_ids)
    # Bulk inserts fire no signals, so the follow-up cases are computed once for the whole load.
    today = org.today or max(r["end_date"] for r in org.absences.to_pylist())
    cases = cases_refresh_all(today=today)
    prevention = load_prevention(organisation, today)
    activity = load_activity(organisation, today, org.seed, org.stages)
    return (
        f"Loaded {organisation.name}: {len(unit_ids)} units, {len(employee_ids)} employees, {len(employments)} employments, "
        f"{certifications} self-certifications, {notes} sick-note periods and {cases} follow-up cases. "
        f"Demo users ({', '.join(u for u, _r, _d in DEMO_USERS)}) have the password {DEMO_PASSWORD!r}. "
        + prevention
        + " "
        + activity
    )
