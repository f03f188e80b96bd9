"""Prevention work for the demo municipality, written after the register is loaded.

What a visitor finds: three closed rounds of the ten-factor survey and the climate pulse (the
last one compared with the first), a mini survey of each unit's lowest factors, an open pulse in
which the demo employee can answer through a printed link, HSE action plans with goals, measures
(some overdue), staff meetings and a safety rep's comment, deviations of every kind, safety rounds
and a risk assessment from checklists, employee conversations (about two thirds held), AMU
meetings and 10-FAKTOR results for some units. Deterministic by seed.

Answers are drawn per unit around a unit climate that is a little worse where the unit's sick
notes are more frequent, so the analysis page has a relation to show — and the invitations'
``used`` flags are set at random, as answering leaves no other trace.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Count

from naervaer.absence.models import SickNotePeriod
from naervaer.org import access
from naervaer.org.models import Employee, Employment, Organisation, Unit
from naervaer.prevention import instrument_files, survey_services
from naervaer.prevention.models import (
    ActionPlan,
    AmuMeeting,
    ChecklistTemplate,
    Conversation,
    Deviation,
    ExternalResult,
    Goal,
    Inspection,
    Invitation,
    Measure,
    PlanComment,
    Response,
    StaffMeeting,
    SurveyRound,
)

BATCH = 2000
SAFETY_ROUND = [
    "Rømningsveier er merket og frie",
    "Brannslukkingsutstyr er kontrollert",
    "Løfte- og forflytningshjelpemidler er i orden",
    "Arbeidsplassene har god belysning og ventilasjon",
    "Kjemikalier er merket og har oppdatert sikkerhetsdatablad",
    "Alarm- og varslingsrutiner er kjent for alle",
]
RISK_ASSESSMENT = [
    "Alenearbeid i utsatte situasjoner",
    "Trusler og vold fra brukere eller pårørende",
    "Tunge løft og ugunstige arbeidsstillinger",
    "Tidspress og høy arbeidsmengde",
    "Turnus og nattarbeid",
]
GOALS = [
    ("Vi tar opp uenighet tidlig og løser den i fellesskap", "conflict_resolution"),
    ("Alle får informasjonen de trenger, også de som jobber helg og natt", "internal_information"),
    ("Vi behandler hverandre med respekt og hjelper hverandre", "interpersonal_relations"),
]
MEASURES = [
    ("Fast HMS-punkt på hvert personalmøte", ["interpersonal_relations"]),
    ("Ukentlig informasjonsskriv til alle vakter", ["internal_information"]),
    ("Kurs i konflikthåndtering for alle ansatte", ["conflict_resolution"]),
    ("Idékasse og fast tid til forbedringsforslag", ["idea_support"]),
    ("Gjennomgang av bemanning mot arbeidsmengde", ["workload"]),
    ("Innkjøp av nye forflytningshjelpemidler", ["health_complaints"]),
]
DEVIATIONS = [
    ("accident", "Ansatt skled på vått gulv i korridoren og slo kneet."),
    ("near_miss", "Pasientløfter sviktet nesten under forflytning; ingen skade."),
    ("violence", "Bruker truet ansatt verbalt under stell."),
    ("environment", "For lav bemanning på kveldsvakt flere dager på rad."),
    ("other", "Medisinrom stod ulåst over natten."),
]


def _unit_climate(organisation: Organisation, rng: np.random.Generator) -> dict[int, float]:
    """Per unit a climate shift: a little worse where sick notes are more frequent per employee."""
    notes = Counter(
        dict(
            SickNotePeriod.objects.filter(organisation=organisation)
            .values("employment__unit_id")
            .annotate(n=Count("pk"))
            .values_list("employment__unit_id", "n")
        )
    )
    staff = Counter(
        dict(
            Employment.objects.filter(organisation=organisation)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
    )
    rates = {u: notes[u] / staff[u] for u in staff if staff[u]}
    mean = float(np.mean(list(rates.values()))) if rates else 0.0
    spread = float(np.std(list(rates.values()))) or 1.0 if rates else 1.0
    return {u: -0.35 * (r - mean) / spread + rng.normal(0, 0.25) for u, r in rates.items()}


def _round(
    organisation: Organisation,
    definition: dict,
    title: str,
    opens: dt.date,
    closes: dt.date,
    climate: dict[int, float],
    rng: np.random.Generator,
    hr,
    previous: SurveyRound | None = None,
    factors_per_unit: dict[int, list[str]] | None = None,
    status: str = SurveyRound.Status.CLOSED,
    bands: list[dict] | None = None,
) -> SurveyRound:
    root = Unit.objects.get(organisation=organisation, parent__isnull=True)
    instrument = survey_services.stored_instrument(
        definition, None if definition["kind"] != "mini" else organisation.pk
    )
    survey = SurveyRound.objects.create(
        organisation=organisation,
        instrument=instrument,
        root_unit=root,
        title=title,
        opens_on=opens,
        closes_on=closes,
        status=status,
        previous=previous,
        bands=bands or [],
        factors_per_unit={str(k): v for k, v in (factors_per_unit or {}).items()},
        created_by=hr,
    )
    employments = (
        Employment.objects.filter(access.active_on(opens), organisation=organisation)
        .order_by("employee_id", "start_date")
        .values_list("employee_id", "unit_id")
    )
    addresses = dict(
        Employee.objects.filter(organisation=organisation, user__isnull=False).values_list(
            "pk", "user__email"
        )
    )
    first: dict[int, int] = {}
    for employee_id, unit_id in employments:
        first.setdefault(employee_id, unit_id)
    factor_shift = rng.normal(0, 0.3, len(definition["factors"]))
    factor_of_item = [
        next(i for i, f in enumerate(definition["factors"]) if f["key"] == item["factor"])
        for item in definition["items"]
    ]
    invitations, responses = [], []
    for employee_id, unit_id in first.items():
        invitation = Invitation(
            round=survey,
            employee_id=employee_id,
            unit_id=unit_id,
            email=addresses.get(employee_id) or "",
            nonce=secrets.token_hex(16),
            sent_on=opens,
        )
        invitation.token_hash = survey_services.token_hash(survey_services.token_for(invitation))
        answered = status == SurveyRound.Status.CLOSED and rng.random() < 0.72
        invitation.used = answered
        invitations.append(invitation)
        if answered:
            responses.append(
                _answers(
                    definition,
                    unit_id,
                    climate,
                    factor_shift,
                    factor_of_item,
                    factors_per_unit,
                    rng,
                    bands,
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    order = rng.permutation(len(responses))
    Response.objects.bulk_create(
        [Response(round=survey, **responses[i]) for i in order], batch_size=BATCH
    )
    return survey


def _answers(
    definition, unit_id, climate, factor_shift, factor_of_item, factors_per_unit, rng, bands
):
    allowed = (factors_per_unit or {}).get(unit_id)
    person = rng.normal(0, 0.6)
    values = []
    for i, item in enumerate(definition["items"]):
        if allowed is not None and item["factor"] not in allowed:
            values.append(None)
            continue
        mean = 3.5 + climate.get(unit_id, 0.0) + factor_shift[factor_of_item[i]] + person
        values.append(int(np.clip(np.rint(rng.normal(mean, 0.8)), 1, 5)))
    comment = ""
    if rng.random() < 0.12:
        comment = str(
            rng.choice(
                [
                    "Vi trenger flere faste ansatte på kveldstid.",
                    "Godt samhold i gruppa, men lite informasjon fra ledelsen.",
                    "Ønsker oss bedre hjelpemidler til forflytning.",
                    "Personalmøtene er blitt bedre det siste året.",
                ]
            )
        )
    chosen = {b["key"]: str(rng.choice(b["options"])) for b in bands or [] if rng.random() < 0.9}
    return {"unit_id": unit_id, "values": values, "comment": comment, "bands": chosen}


def _hse(organisation: Organisation, end: dt.date, rng: np.random.Generator, users: dict) -> int:
    departments = list(
        Unit.objects.filter(organisation=organisation, level__in=["department", "site"]).order_by(
            "pk"
        )
    )
    leader_units = set(
        Employment.objects.filter(
            access.active_on(end), nearest_leader__user=users.get("leder")
        ).values_list("unit_id", flat=True)
    )
    chosen = [u for u in departments if u.pk in leader_units] + [
        u for u in departments if u.pk not in leader_units and rng.random() < 0.35
    ]
    latest = SurveyRound.objects.filter(
        organisation=organisation, status=SurveyRound.Status.CLOSED, instrument__kind="profile"
    ).first()
    for unit in chosen:
        plan = ActionPlan.objects.create(
            unit=unit,
            organisation=organisation,
            title=f"HMS-handlingsplan {unit.name} {end.year - 1}–{end.year + 1}",
            first_year=end.year - 1,
            last_year=end.year + 1,
            survey_round=latest,
            created_by=users.get("hr"),
        )
        for text, factor in GOALS[: 1 + int(rng.integers(0, 3))]:
            Goal.objects.create(plan=plan, text=text, factor=factor)
        for n, index in enumerate(rng.choice(len(MEASURES), 3, replace=False)):
            text, factors = MEASURES[int(index)]
            deadline = end + dt.timedelta(days=int(rng.integers(-150, 200)))
            done = deadline < end and rng.random() < 0.6
            Measure.objects.create(
                plan=plan,
                text=text,
                owner=users.get("leder") if unit.pk in leader_units and n == 0 else None,
                owner_name="Enhetsleder" if n else "Verneombud",
                deadline=deadline,
                status=Measure.Status.DONE if done else Measure.Status.STARTED,
                done_on=deadline - dt.timedelta(days=3) if done else None,
                factors=factors,
            )
        for months in (2, 4, 6):
            StaffMeeting.objects.create(
                unit=unit,
                plan=plan,
                held_on=end - dt.timedelta(days=30 * months),
                hse_item="Gjennomgang av handlingsplanen og nye avvik siden sist.",
                decisions="Tiltakene følges opp; verneombudet tar opp bemanning med ledelsen.",
                recorded_by=users.get("leder"),
            )
        if rng.random() < 0.5 or unit.pk in leader_units:
            PlanComment.objects.create(
                plan=plan,
                author=users.get("verneombud"),
                author_role="safety_rep",
                text="Verneombudet støtter planen, men ber om at bemanningen på kveld tas med.",
            )
    return len(chosen)


def _deviations(
    organisation: Organisation, end: dt.date, rng: np.random.Generator, users: dict
) -> None:
    units = list(Unit.objects.filter(organisation=organisation, level="site").order_by("pk"))
    rows = []
    for _n in range(max(40, len(units) // 2)):
        category, text = DEVIATIONS[int(rng.integers(0, len(DEVIATIONS)))]
        occurred = end - dt.timedelta(days=int(rng.integers(0, 700)))
        closed = occurred < end - dt.timedelta(days=60) and rng.random() < 0.8
        rows.append(
            Deviation(
                organisation=organisation,
                unit=units[int(rng.integers(0, len(units)))],
                occurred_on=occurred,
                category=category,
                severity=str(rng.choice(["low", "medium", "high"], p=[0.5, 0.35, 0.15])),
                description=text,
                immediate_action="Området ble sikret og leder varslet.",
                reported_by=None if rng.random() < 0.3 else users.get("ansatt"),
                status=Deviation.Status.CLOSED if closed else Deviation.Status.OPEN,
                follow_up="Gjennomgått i personalmøte; rutinen er oppdatert." if closed else "",
                closed_on=occurred + dt.timedelta(days=30) if closed else None,
            )
        )
    Deviation.objects.bulk_create(rows, batch_size=BATCH)


def _rounds_and_talks(
    organisation: Organisation, end: dt.date, rng: np.random.Generator, users: dict
) -> None:
    safety = ChecklistTemplate.objects.create(
        organisation=organisation,
        kind=ChecklistTemplate.Kind.SAFETY_ROUND,
        title="Vernerunde – fysisk arbeidsmiljø",
        items=[{"key": f"k{n}", "text": t} for n, t in enumerate(SAFETY_ROUND, start=1)],
    )
    ChecklistTemplate.objects.create(
        organisation=organisation,
        kind=ChecklistTemplate.Kind.RISK,
        title="Risikovurdering – psykososialt arbeidsmiljø",
        items=[{"key": f"k{n}", "text": t} for n, t in enumerate(RISK_ASSESSMENT, start=1)],
    )
    for plan in ActionPlan.objects.filter(organisation=organisation)[:12]:
        Inspection.objects.create(
            template=safety,
            unit=plan.unit,
            held_on=end - dt.timedelta(days=int(rng.integers(10, 300))),
            participants="Enhetsleder, verneombud, BHT",
            answers={
                item["key"]: {"ok": bool(rng.random() < 0.8), "finding": ""}
                for item in safety.items
            },
            recorded_by=users.get("leder"),
        )
    people = Employment.objects.filter(
        access.active_on(end), organisation=organisation
    ).values_list("employee_id", "unit_id")
    talks = []
    for year in (end.year - 1, end.year):
        for employee_id, unit_id in people:
            held = rng.random() < (0.67 if year < end.year else 0.45)
            last_month = 11 if year < end.year else max(2, end.month - 1)
            talks.append(
                Conversation(
                    employee_id=employee_id,
                    unit_id=unit_id,
                    year=year,
                    planned_on=dt.date(year, int(rng.integers(2, 12)), 15),
                    held_on=dt.date(year, int(rng.integers(1, last_month + 1)), 10)
                    if held
                    else None,
                )
            )
    Conversation.objects.bulk_create(talks, batch_size=BATCH, ignore_conflicts=True)
    for months in (2, 5, 8, 11):
        AmuMeeting.objects.create(
            organisation=organisation,
            held_on=end - dt.timedelta(days=30 * months),
            agenda="1. Sykefraværet siste kvartal\n2. Status i HMS-handlingsplanene\n3. Avvik og vernerunder",
            decisions="AMU ber enhetene med tiltak på overtid om å rapportere til neste møte.",
            recorded_by=users.get("hr"),
        )


def _external(organisation: Organisation, end: dt.date, rng: np.random.Generator) -> None:
    factors = [
        "Indre motivasjon",
        "Mestringstro",
        "Autonomi",
        "Bruk av kompetanse",
        "Mestringsorientert ledelse",
        "Rolleklarhet",
        "Relevant kompetanseutvikling",
        "Fleksibilitetsvilje",
        "Mestringsklima",
        "Nærmeste leder",
    ]
    rows = []
    for unit in Unit.objects.filter(organisation=organisation, level="department").order_by("pk")[
        :20
    ]:
        for factor in factors:
            rows.append(
                ExternalResult(
                    organisation=organisation,
                    source="10-FAKTOR",
                    period=str(end.year - 1),
                    unit=unit,
                    factor=factor,
                    score=round(float(np.clip(rng.normal(4.1, 0.3), 1, 5)), 1),
                    respondents=int(rng.integers(8, 60)),
                )
            )
    ExternalResult.objects.bulk_create(rows, batch_size=BATCH)


def load_prevention(organisation: Organisation, end: dt.date, seed: int = 1) -> str:
    """Write the demo's prevention work; returns a line for the load message (with the answer link)."""
    rng = np.random.default_rng(seed + 16)
    users = {u.username: u for u in get_user_model().objects.all()}
    for username, user in users.items():
        if not user.email:
            user.email = f"{username}@demo.naervaer.example"
            user.save(update_fields=["email"])
    climate = _unit_climate(organisation, rng)
    profile = instrument_files.shipped("psychosocial-10")
    pulse = instrument_files.shipped("climate-pulse")
    hr = users.get("hr")
    bands = [
        {
            "key": "alder",
            "label_nb": "Alder",
            "label_en": "Age",
            "options": ["under 40", "40 eller eldre"],
        }
    ]
    first = _round(
        organisation,
        profile,
        f"Arbeidsmiljøundersøkelse {end.year - 2}",
        end.replace(year=end.year - 2, day=1) - dt.timedelta(days=150),
        end.replace(year=end.year - 2, day=1) - dt.timedelta(days=120),
        climate,
        rng,
        hr,
        bands=bands,
    )
    from naervaer.prevention import results

    counts = results.round_counts(first)
    lowest = {u: keys for u in counts.tally.unit_ids if (keys := results.lowest_factors(counts, u))}
    mini_definition = instrument_files.mini_definition(
        profile, sorted({k for ks in lowest.values() for k in ks}), first.title
    )
    mini_definition["version"] = first.pk
    _round(
        organisation,
        mini_definition,
        f"Mini-undersøkelse {end.year - 1}",
        dt.date(end.year - 1, 3, 1),
        dt.date(end.year - 1, 3, 21),
        climate,
        rng,
        hr,
        previous=first,
        factors_per_unit=lowest,
    )
    _round(
        organisation,
        profile,
        f"Arbeidsmiljøundersøkelse {end.year}",
        end - dt.timedelta(days=75),
        end - dt.timedelta(days=50),
        climate,
        rng,
        hr,
        previous=first,
        bands=bands,
    )
    _round(
        organisation,
        pulse,
        f"Klimamåling {end.year} kvartal {(end.month - 1) // 3 + 1}",
        end - dt.timedelta(days=40),
        end - dt.timedelta(days=30),
        climate,
        rng,
        hr,
    )
    today = dt.date.today()
    open_pulse = _round(
        organisation,
        pulse,
        "Klimamåling – pågår",
        min(today, end) - dt.timedelta(days=3),
        max(today, end) + dt.timedelta(days=14),
        climate,
        rng,
        hr,
        status=SurveyRound.Status.OPEN,
    )
    plans = _hse(organisation, end, rng, users)
    _deviations(organisation, end, rng, users)
    _rounds_and_talks(organisation, end, rng, users)
    _external(organisation, end, rng)
    link = ""
    employee = Employee.objects.filter(user__username="ansatt").first()
    invitation = (
        Invitation.objects.filter(round=open_pulse, employee=employee).first() if employee else None
    )
    if invitation is not None:
        from django.urls import reverse

        link = f" The demo employee can answer the open pulse at {reverse('prevention:answer', args=[survey_services.token_for(invitation)])}"
    return f"Prevention: 5 survey rounds, {plans} HSE action plans, deviations, safety rounds, conversations and AMU meetings.{link}"
