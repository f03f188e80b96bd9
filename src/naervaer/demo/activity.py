"""The follow-up work of the demo municipality up to its last day, done through the services.

After the register is loaded and the cases computed, the people of the demo do what the routine
asks of them — partly, as real people do: plans in every state (a draft, one the leader approved
and the employee has yet to approve, approved by both), talks and dialogue meetings with minutes
linked to their milestones, a placement bank with people placed in it, cases referred to
occupational health and to the reintegration committee (some decided), bring-forward dates for
HR, closed cases with their outcomes, NAV's diagnoses of the sick notes of open cases, targets,
cost rates and the reference figures of ``docs/examples``. Some milestones are left undone on
purpose, so the work lists have something overdue. Everything goes through the services, so the
case history and the access log read as if people had done it; actors are the case's nearest
leader (an account without a password is made for leaders and employees who have none), HR and
NAV. Deterministic by seed and day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from naervaer.absence.models import SickNotePeriod
from naervaer.absence.services import diagnosis_record
from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase, Milestone, Outcome, Plan
from naervaer.followup.services import case as case_services
from naervaer.followup.services.committee import committee_decide, committee_refer
from naervaer.followup.services.documents import workplace_description_save
from naervaer.followup.services.meetings import meeting_record
from naervaer.followup.services.milestones import milestone_done
from naervaer.followup.services.placements import placement_assign, placement_create
from naervaer.followup.services.plans import plan_approve, plan_save
from naervaer.insight import references
from naervaer.insight import services as insight_services
from naervaer.insight.reference_csv import parse_reference_csv
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Employee, Organisation, Unit

REFERENCE_CSV = (
    Path(__file__).resolve().parents[3]
    / "docs"
    / "examples"
    / "reference"
    / "ssb-sickness-absence.csv"
)
# The plan a scripted stage has (``demo.stages``); other cases draw theirs.
PLAN_OF_STAGE = {
    "weeks_2_4": "draft",
    "weeks_4_7": "leader_approved",
    "weeks_7_8": "draft",
    "weeks_8_26": "approved",
    "weeks_26_39": "approved",
    "over_39_weeks": "approved",
    "past_max_date": "approved",
    "recurring": "leader_approved",
}
PLAN_STATES = ("none", "draft", "leader_approved", "approved")
PLAN_WEIGHTS = (0.2, 0.25, 0.25, 0.3)
# ICPC-2 codes NAV records, weighted as sick-note diagnoses are spread (musculoskeletal and
# psychological dominate long absence).
DIAGNOSES = (
    ("L03", 0.12), ("L84", 0.1), ("L92", 0.08), ("L86", 0.06), ("L02", 0.04),
    ("P74", 0.1), ("P76", 0.1), ("P02", 0.06), ("P78", 0.04),
    ("R74", 0.08), ("R80", 0.06), ("D73", 0.04), ("A04", 0.04), ("N01", 0.04),
    ("W78", 0.02), ("Z05", 0.02),
)  # fmt: skip
TASKS = (
    ("Stell og morgenrutiner", "adapted"),
    ("Dokumentasjon og rapportskriving", "can"),
    ("Tunge løft og forflytning", "cannot"),
    ("Medisinhåndtering", "can"),
    ("Nattevakter", "cannot"),
)
MEASURES = (
    "Kortere vakter de første ukene",
    "Fritak fra tunge løft; kollega tar forflytning",
    "Hjemmekontor to dager i uka for dokumentasjon",
    "Samtale med bedriftshelsetjenesten om arbeidsstilling",
    "Gradvis opptrapping av stillingen",
)
PLACEMENTS = (
    ("Kontorstøtte og arkiv", "Lette kontoroppgaver, arkiv og telefon.", "gradert sykmeldte"),
    ("Aktivitør på dagsenter", "Aktiviteter med beboere, uten løft.", "arbeidsutprøving"),
    ("Kjøkkenassistent", "Tilberedning av måltider, stående arbeid.", "gradert sykmeldte"),
    ("Vaktrom og resepsjon", "Ta imot besøkende og svare på telefon.", "arbeidsutprøving"),
)
COST_RATES = (  # occupation (blank: all others), daily salary, social costs %
    ("", Decimal(2300), Decimal(40)),
    ("Sykepleier", Decimal(2650), Decimal(40)),
    ("Helsefagarbeider", Decimal(2250), Decimal(40)),
    ("Lærer", Decimal(2750), Decimal(40)),
    ("Assistent", Decimal(1900), Decimal(40)),
)


class _Demo:
    """The day, the random stream and the actors of one demo load."""

    def __init__(self, organisation: Organisation, today: dt.date, seed: int) -> None:
        users = get_user_model().objects
        self.organisation, self.today = organisation, today
        self.rng = np.random.default_rng([seed, 13])
        self.hr, self.nav, self.bht = (users.get(username=n) for n in ("hr", "nav", "bht"))
        self.counts: Counter[str] = Counter()
        self.users: dict[int, object] = {}

    def user_of(self, employee: Employee):
        """The employee's account; one without a password (no login) when they have none."""
        if employee.pk not in self.users:
            user = get_user_model().objects.filter(employee__pk=employee.pk).first()
            if user is None:
                user = get_user_model().objects.create(
                    username=f"bruker-{employee.external_id.lower() or employee.pk}",
                    password=make_password(None),
                    first_name=employee.first_name,
                    last_name=employee.last_name,
                )
                Employee.objects.filter(pk=employee.pk).update(user=user)
            self.users[employee.pk] = user
        return self.users[employee.pk]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def day(self, case: FollowupCase, offset: int) -> dt.date:
        """``offset`` days into the case, never after today."""
        return min(case.start + dt.timedelta(days=offset), self.today)

    def leader_of(self, case: FollowupCase):
        """The case's nearest leader, or HR when the leader may no longer work on it (the
        employment has ended, or there is no leader)."""
        leader = case.employment.nearest_leader
        if leader is None:
            return self.hr
        user = self.user_of(leader)
        return user if access.holds(user, Action.WORK_CASE, case) else self.hr

    def milestone(self, case: FollowupCase, key: str) -> Milestone | None:
        return case.milestones.filter(key=key, applicable=True, recorded="").first()


def _names(case: FollowupCase) -> list[tuple[str, str]]:
    people = [(f"{case.employee.first_name} {case.employee.last_name}", "arbeidstaker")]
    leader = case.employment.nearest_leader
    if leader is not None:
        people.append((f"{leader.first_name} {leader.last_name}", "nærmeste leder"))
    return people


def _meeting(demo: _Demo, case: FollowupCase, actor, kind: str, offset: int, key: str = ""):
    held = demo.day(case, offset)
    extra = {"dialogue_2": [("Nils Nygård", "NAV-veileder")]}.get(kind, [])
    meeting = meeting_record(
        actor=actor,
        case=case,
        kind=kind,
        held_on=held,
        minutes=(
            "Vi gikk gjennom hvordan det går, hva som er vanskelig i jobben nå og hva som kan "
            "tilrettelegges. Arbeidstakeren ønsker å prøve seg gradvis."
        ),
        agreements="Prøve kortere vakter i to uker. Ny samtale om fire uker.",
        next_meeting=held + dt.timedelta(days=28),
        participants=_names(case) + extra,
        copies=["personnel_file", "employee"],
    )
    demo.counts["meetings"] += 1
    milestone = demo.milestone(case, key) if key else None
    if milestone is not None and milestone.due is not None and held <= demo.today:
        milestone_done(actor=actor, milestone=milestone, meeting=meeting)
    return meeting


def _plan(demo: _Demo, case: FollowupCase, actor, state: str) -> Plan | None:
    if state == "none":
        return None
    picks = demo.rng.permutation(len(TASKS))[:3]
    measures = demo.rng.permutation(len(MEASURES))[:2]
    plan = plan_save(
        actor=actor,
        case=case,
        expected_version=None,
        data={
            "tasks": [{"task": TASKS[i][0], "capacity": TASKS[i][1]} for i in picks],
            "measures": [
                {
                    "measure": MEASURES[i],
                    "status": "agreed" if n == 0 else "proposed",
                    "owner": "nærmeste leder",
                    "deadline": (demo.today + dt.timedelta(days=14 * (n + 1))).isoformat(),
                }
                for n, i in enumerate(measures)
            ],
            "information_to_colleagues": "Kollegene vet at hun/han er delvis til stede og hva "
            "som er avtalt om oppgavene.",
            "evaluation_date": demo.today + dt.timedelta(days=21),
            "share_with_doctor": True,
            "share_with_nav": (demo.today - case.start).days > 150,
        },
    )
    demo.counts[f"plans_{state}"] += 1
    if state in ("leader_approved", "approved"):
        plan = plan_approve(actor=actor, plan=plan, version=plan.version)
    if state == "approved":
        employee = demo.user_of(case.employee)
        plan = plan_approve(actor=employee, plan=plan, version=plan.version)
        for key in ("follow_up_plan", "updated_plan_to_nav"):
            milestone = demo.milestone(case, key)
            if milestone is not None and milestone.due is not None and milestone.due <= demo.today:
                milestone_done(actor=actor, milestone=milestone, plan=plan)
    return plan


def _placement_bank(demo: _Demo, units: list[Unit]) -> dict[int, list]:
    bank: dict[int, list] = {}
    for unit in units:
        bank[unit.pk] = [
            placement_create(
                actor=demo.hr, unit=unit, title=title, description=text, suitable_for=suits
            )
            for title, text, suits in PLACEMENTS[: 2 + unit.pk % 3]
        ]
    demo.counts["placements"] += sum(len(p) for p in bank.values())
    return bank


def _work_case(demo: _Demo, case: FollowupCase, stage: str | None, bank: dict[int, list]) -> None:
    """What the people of one open case have done by today, by how far the case has come."""
    age = (demo.today - case.start).days
    if age < 10:
        return
    leader = demo.leader_of(case)
    graded = case.milestones.filter(key="dialogue_meeting_1", applicable=False).exists()
    if demo.chance(0.6):
        _meeting(demo, case, leader, "follow_up_talk", 7 + age % 5)
    if age >= 14:
        state = PLAN_OF_STAGE.get(stage or "") or (
            str(demo.rng.choice(PLAN_STATES, p=PLAN_WEIGHTS)) if age >= 24 else "none"
        )
        _plan(demo, case, leader, state)
    if age >= 52 and not graded and stage != "weeks_7_8" and demo.chance(0.7):
        _meeting(demo, case, leader, "dialogue_1", 45, "dialogue_meeting_1")
    if age >= 185 and demo.chance(0.8):
        _meeting(demo, case, demo.hr, "dialogue_2", 180, "dialogue_meeting_2")
    if age >= 28 and (stage == "weeks_8_26" or demo.chance(0.2)):
        case_services.refer_to_occupational_health(actor=leader, case=case, on=demo.day(case, 26))
        demo.counts["referred_to_occupational_health"] += 1
        case.refresh_from_db()
        _meeting(demo, case, demo.bht, "occupational_health", 30)
    # The leader places in the own unit's bank; HR in any unit's.
    own = bank.get(case.employment.unit_id, [])
    options = own or [placement for placements in bank.values() for placement in placements]
    if age >= 56 and options and (graded or demo.chance(0.15)):
        placement_assign(
            actor=leader if own else demo.hr,
            case=case,
            placement=options[age % len(options)],
            start=demo.day(case, 60),
            end=demo.today + dt.timedelta(days=30),
        )
        demo.counts["placed"] += 1
    if age >= 90 and demo.chance(0.5):
        workplace_description_save(
            actor=leader,
            case=case,
            tasks="Pleie og omsorg for beboere, dokumentasjon, medisinutdeling.",
            physical_demands="Mye gåing og stående arbeid; forflytning av beboere med hjelpemidler.",
            psychosocial_demands="Høyt tempo i perioder; pårørendekontakt.",
            working_hours="Turnus med dag- og kveldsvakter, hver tredje helg.",
            adaptation_options="Kortere vakter, fritak fra nattevakt, oppgaver uten løft.",
        )
    if stage in ("weeks_26_39", "over_39_weeks", "past_max_date") or (
        age >= 150 and demo.chance(0.3)
    ):
        referral = committee_refer(
            actor=demo.hr,
            case=case,
            question="Kan arbeidstakeren omplasseres til en annen enhet med lettere oppgaver?",
            on=demo.day(case, 140),
        )
        demo.counts["committee_referrals"] += 1
        if stage != "weeks_26_39" and demo.chance(0.7):
            committee_decide(
                actor=demo.hr,
                referral=referral,
                decision="Utvalget anbefaler arbeidsutprøving i kontorstøtte i åtte uker, "
                "deretter ny vurdering av omplassering.",
                on=min(referral.referred_on + dt.timedelta(days=21), demo.today),
            )
            demo.counts["committee_decisions"] += 1
    if demo.chance(0.05):
        case_services.bring_forward_set(
            actor=demo.hr, case=case, on=demo.today + dt.timedelta(days=int(age % 7) - 3)
        )
        demo.counts["brought_forward"] += 1


def _close_some(demo: _Demo) -> None:
    """Ended long cases of the last year get the outcome HR recorded."""
    ended = (
        FollowupCase.objects.filter(
            organisation=demo.organisation,
            current=True,
            closed_on__isnull=True,
            end__lt=demo.today - dt.timedelta(days=30),
            end__gte=demo.today - dt.timedelta(days=365),
            sick_days__gte=56,
        )
        .select_related("employee")
        .order_by("employment__external_id", "start")
    )
    outcomes = (Outcome.BACK_FULL_TIME, Outcome.BACK_PART_TIME, Outcome.REASSIGNED, Outcome.OTHER)
    for case in ended[:40]:
        case_services.case_close(
            actor=demo.hr,
            case=case,
            outcome=str(demo.rng.choice(outcomes, p=(0.6, 0.2, 0.1, 0.1))),
            note="Tilbake i egen stilling etter gradvis opptrapping.",
            on=case.end + dt.timedelta(days=16),
        )
        demo.counts["closed"] += 1


def _diagnoses(demo: _Demo, cases: list[FollowupCase]) -> None:
    codes = [code for code, _w in DIAGNOSES]
    weights = np.array([w for _c, w in DIAGNOSES])
    for case in cases:
        for note in SickNotePeriod.objects.filter(
            employment_id=case.employment_id, start_date__lte=case.end, end_date__gte=case.start
        ).order_by("start_date"):
            code = str(demo.rng.choice(codes, p=weights / weights.sum()))
            diagnosis_record(actor=demo.nav, sick_note_period=note, icpc2_code=code)
            demo.counts["diagnoses"] += 1


def _insight(demo: _Demo, units: list[Unit]) -> None:
    """Targets for the demo teams' units and those above them; cost rates; reference figures."""
    first = demo.today.replace(month=1, day=1)
    last = dt.date(demo.today.year + 1, 12, 1)
    for unit in units:
        insight_services.target_create(
            actor=demo.hr,
            unit=unit,
            target_percent=Decimal("7.5") if unit.parent_id is None else Decimal("8.0"),
            starting_percent=Decimal("9.6"),
            first_month=first,
            last_month=last,
        )
        demo.counts["targets"] += 1
    for occupation, salary, social in COST_RATES:
        insight_services.cost_rate_save(
            actor=demo.hr, occupation=occupation, daily_salary=salary, social_cost_percent=social
        )
    demo.counts["cost_rates"] = len(COST_RATES)
    if REFERENCE_CSV.exists():
        rows = parse_reference_csv(REFERENCE_CSV.read_text(encoding="utf-8"), REFERENCE_CSV.name)
        demo.counts["reference_figures"] = references.import_rows(demo.organisation, rows)


def _reads(demo: _Demo, cases: list[FollowupCase]) -> None:
    """The leader and HR have opened the cases, so "who has seen my case" has entries."""
    for case in cases:
        for user in (demo.leader_of(case), demo.hr):
            selectors.case_get(user, case.pk)


def _ancestors(unit: Unit) -> list[Unit]:
    found: list[Unit] = []
    parent = unit.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def load_activity(
    organisation: Organisation, today: dt.date, seed: int, stages: dict[int, str]
) -> str:
    """Do the demo's follow-up work up to ``today``; returns what was done, for the load message."""
    with access.actors_reused():
        return _load(_Demo(organisation, today, seed), stages)


def _load(demo: _Demo, stages: dict[int, str]) -> str:
    organisation, today = demo.organisation, demo.today
    open_cases = list(
        FollowupCase.objects.filter(FollowupCase.open_on(today), organisation=organisation)
        .select_related("employee", "employment__nearest_leader", "employment__unit")
        .order_by("employment__external_id", "start")
    )
    stage_of = {f"E{employment}": key for employment, key in stages.items()}
    scripted = [c for c in open_cases if c.employment.external_id in stage_of]
    leader_units = {c.employment.unit for c in scripted}
    bank = _placement_bank(
        demo,
        sorted(
            leader_units | {c.employment.unit for c in open_cases[:: max(len(open_cases) // 8, 1)]},
            key=lambda u: u.pk,
        ),
    )
    for case in open_cases:
        _work_case(demo, case, stage_of.get(case.employment.external_id), bank)
    _close_some(demo)
    _diagnoses(demo, open_cases)
    _reads(demo, scripted)
    above = {a for unit in leader_units for a in _ancestors(unit)}
    _insight(demo, sorted(above | leader_units, key=lambda u: (u.parent_id is not None, u.pk)))
    done = ", ".join(
        f"{count} {what.replace('_', ' ')}" for what, count in sorted(demo.counts.items())
    )
    return f"Follow-up up to {today:%d.%m.%Y} on {len(open_cases)} open cases: {done}."
