"""The parameters of the synthetic municipality: sectors, occupations, part-time and absence model.

The absence rates are per person-year and were calibrated (tests/demo check the outcome) so the
resulting absence percentages match what the seeds report: care and kindergartens near 10 %,
schools and technical services in between, administration near 5 %; most spells short and
self-certified, a long tail of long spells, a share of them graded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SectorProfile:
    """How one sector looks: its size, units, jobs, position sizes and absence rates."""

    key: str
    name: str
    share: float  # share of all employees
    site_size: int  # typical employees per site (0 = staff sit in departments)
    department_kinds: tuple[str, ...]  # department names, cycled (numbered when repeated)
    site_suffixes: tuple[str, ...]  # e.g. "sykehjem"; cycled together with department_kinds
    occupations: tuple[tuple[str, float], ...]
    positions: tuple[tuple[float, float], ...]  # (position percent, weight)
    self_certified_rate: float  # spells per person-year
    short_doctor_rate: float
    long_doctor_rate: float
    site_leader_title: str


SECTORS: tuple[SectorProfile, ...] = (
    SectorProfile(
        "health_care",
        "Helse og omsorg",
        0.40,
        30,
        ("Sykehjemstjenesten", "Hjemmetjenesten"),
        ("sykehjem", "hjemmetjeneste"),
        (
            ("Helsefagarbeider", 0.40),
            ("Sykepleier", 0.25),
            ("Assistent", 0.20),
            ("Vernepleier", 0.08),
            ("Ergoterapeut", 0.04),
            ("Fysioterapeut", 0.03),
        ),
        ((100, 0.30), (80, 0.15), (75, 0.12), (60, 0.12), (50, 0.14), (40, 0.09), (20, 0.08)),
        3.7,
        1.22,
        0.44,
        "Enhetsleder",
    ),
    SectorProfile(
        "kindergarten",
        "Oppvekst – barnehager",
        0.15,
        20,
        ("Barnehagene",),
        ("barnehage",),
        (
            ("Barnehagelærer", 0.35),
            ("Barne- og ungdomsarbeider", 0.30),
            ("Assistent", 0.30),
            ("Spesialpedagog", 0.05),
        ),
        ((100, 0.60), (80, 0.15), (60, 0.12), (50, 0.13)),
        3.8,
        1.2,
        0.42,
        "Styrer",
    ),
    SectorProfile(
        "school",
        "Oppvekst – skoler",
        0.25,
        40,
        ("Grunnskolene",),
        ("skole",),
        (
            ("Lærer", 0.65),
            ("Lektor", 0.10),
            ("Assistent", 0.12),
            ("Fagarbeider SFO", 0.10),
            ("Miljøterapeut", 0.03),
        ),
        ((100, 0.72), (80, 0.12), (60, 0.08), (50, 0.08)),
        2.9,
        0.95,
        0.31,
        "Rektor",
    ),
    SectorProfile(
        "technical",
        "Teknisk drift",
        0.08,
        25,
        ("Renhold", "Eiendomsdrift"),
        ("renholdsområde", "driftsområde"),
        (("Renholder", 0.55), ("Vaktmester", 0.25), ("Driftsoperatør", 0.15), ("Ingeniør", 0.05)),
        ((100, 0.55), (80, 0.15), (60, 0.15), (50, 0.15)),
        3.3,
        1.07,
        0.35,
        "Driftsleder",
    ),
    SectorProfile(
        "administration",
        "Administrasjon",
        0.12,
        0,
        ("Økonomi", "Personal", "IKT", "Servicetorget", "Plan og bygg", "Kommunikasjon"),
        ("",),
        (("Konsulent", 0.45), ("Rådgiver", 0.35), ("Saksbehandler", 0.15), ("Arkivar", 0.05)),
        ((100, 0.88), (80, 0.07), (50, 0.05)),
        2.15,
        0.62,
        0.17,
        "Avdelingsleder",
    ),
)

SITE_NAME_STEMS: tuple[str, ...] = (
    "Solbakken",
    "Lia",
    "Haugen",
    "Bakkehaugen",
    "Fjellheim",
    "Nordby",
    "Sørli",
    "Vestre",
    "Østre",
    "Eikelund",
    "Granly",
    "Furulund",
    "Bjørkly",
    "Rosenhaug",
    "Skogly",
    "Sjøgata",
    "Elvebakken",
    "Heimdal",
    "Breidablikk",
    "Tunet",
    "Nygård",
    "Åsen",
    "Myra",
    "Strand",
    "Løkken",
    "Berg",
    "Moen",
    "Vika",
    "Kleiva",
    "Ringstad",
)

DEPARTMENT_SIZE_IN_SITES = 15  # sites per department before another department is added
ADMIN_DEPARTMENT_SIZE = 60  # administration staff per department
TEAM_SIZE = 30  # staff per nearest leader at a site

# Monthly incidence multiplier (Jan..Dec): the winter peak and the summer-holiday low.
MONTH_INCIDENCE = np.array([1.30, 1.35, 1.20, 1.00, 0.95, 0.85, 0.55, 0.75, 0.95, 1.05, 1.10, 1.00])

# Lengths, in calendar days.
SELF_CERTIFIED_LENGTHS = np.array([1, 2, 3, 4, 5, 6, 7, 8])
SELF_CERTIFIED_WEIGHTS = np.array(
    [0.38, 0.27, 0.23, 0.04, 0.03, 0.02, 0.02, 0.01]
)  # IA employer: up to 8
SHORT_DOCTOR_RANGE = (4, 16)
LONG_MIN_DAYS, LONG_MAX_DAYS = 17, 365
LONG_PARETO_SHAPE = 1.15  # heavy tail: a few spells run to the 365-day cap
GRADED_SHARE_OF_LONG = 0.35  # long doctor spells that are graded
GRADES = np.array([20, 30, 40, 50, 60, 70, 80])
GRADE_WEIGHTS = np.array([0.08, 0.07, 0.10, 0.50, 0.12, 0.05, 0.08])

# Individual variation and recurrent absence.
FRAILTY_SHAPE = 2.0  # gamma shape; mean 1
RECURRENT_SHARE = 0.025  # persons with recurring long absence
RECURRENT_LONG_FACTOR = 5.0
RECURRENT_SHORT_FACTOR = 2.0
MIN_GAP_DAYS = 1  # at least one healthy day between two spells

# Workforce dynamics.
STAYER_SHARE = 0.62  # employed since before the history starts
ENDING_SHARE = 0.35  # employments that end inside the history
SECOND_JOB_SHARE = 0.04  # persons with a second, concurrent employment
UNIT_CHANGE_SHARE = 0.03  # persons who move to another site
SELF_CERTIFICATION_WAIT_DAYS = 61  # self-certification needs two months' employment
