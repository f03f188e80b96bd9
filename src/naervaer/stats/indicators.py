"""What the engine measures: duration classes, lost-workday categories and each measure's axis.

Definitions only (DOMAIN §9; docs/stats-input.md has the long form); ``relations`` finds the rows
that count, ``accumulate`` adds them up, ``grid`` makes the measures:
- an absence without employment_id applies to every employment of the employee covering the day;
- a spell is a run of absences of one employment where each starts at most one day after the
  previous ends; its length (calendar days, whole spell even across period bounds) decides short
  vs long term and the duration class; it is counted in the period where it starts;
- employment days (for spells per employee-year) are calendar days of employment in the period.
"""

from __future__ import annotations

import numpy as np

# Duration classes (DOMAIN §9) by upper bound in calendar days; F is everything longer.
DURATION_CLASSES = (("A", 7), ("B", 16), ("C", 56), ("D", 140), ("E", 273))
CLASS_NAMES = (*(c for c, _ in DURATION_CLASSES), "F")
SHORT_TERM_CLASSES = CLASS_NAMES[:2]  # 1–16 calendar days
SHORT_TERM_DAYS = 16
CLASS_BOUNDS = np.array([upper for _, upper in DURATION_CLASSES], dtype=np.int32)

# Lost workdays are summed in two category blocks — duration class (A–F), and kind × graded
# (index kind × 2 + graded, kind 0 self-certified, 1 doctor-certified) — and every lost measure is
# a sum of block rows: sums of contributions, never differences, so a measure with no
# contributions is exactly zero.
LOST_BLOCKS = {"lost_class": len(CLASS_NAMES), "lost_kind": 4}
LOST_MEASURES = {
    "lost_workdays": ("lost_class", range(len(CLASS_NAMES))),
    "lost_self_certified": ("lost_kind", (0, 1)),
    "lost_doctor_certified": ("lost_kind", (2, 3)),
    "lost_short_term": ("lost_class", range(len(SHORT_TERM_CLASSES))),
    "lost_long_term": ("lost_class", range(len(SHORT_TERM_CLASSES), len(CLASS_NAMES))),
    **{f"lost_class_{c}": ("lost_class", (i,)) for i, c in enumerate(CLASS_NAMES)},
    "lost_graded": ("lost_kind", (1, 3)),
}

# Measure → what a whole period adds per unit of running delta: its workdays, its days or 1.
MEASURES = {
    "persons": "count",
    "persons_window": "count",
    "possible_workdays": "workdays",
    "employment_days": "days",
    **dict.fromkeys(LOST_MEASURES, "workdays"),
    "spells": "count",
    "spell_days": "count",
}
WHOLE_NUMBERS = tuple(m for m, axis in MEASURES.items() if axis != "workdays")  # counts and days


_CLASS_OF_LENGTH = np.searchsorted(CLASS_BOUNDS, np.arange(int(CLASS_BOUNDS[-1]) + 2)).astype(
    np.int8
)


def duration_class(length: np.ndarray) -> np.ndarray:
    """Duration class index (0 = A … 5 = F) of spells of ``length`` (≥ 1) calendar days."""
    classes: np.ndarray = _CLASS_OF_LENGTH[np.minimum(length, len(_CLASS_OF_LENGTH) - 1)]
    return classes
