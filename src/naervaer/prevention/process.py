"""Survey factors and HSE activity as process indicators for the evaluation tool (issue #16 item 9).

Rows follow the evaluation's process table (``unit_id, month, indicator, numerator, denominator``,
docs/evaluation.md), each a share:

- ``survey_agree:<factor>`` — answers that agree (top two steps) of all answers on the factor, in
  the month the round closed, per unit the respondents are registered on. A unit with fewer
  respondents than the round's minimum is left out, so no row describes a small group;
- ``measures_on_time`` — HSE measures done by their deadline, of those due, in the deadline's month;
- ``conversations_held`` — employee conversations held, of the unit's employees that year (in
  December; units of fewer than 5 employees left out).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd

from naervaer.org import access
from naervaer.org.models import Employment
from naervaer.prevention import results
from naervaer.prevention.models import Conversation, Measure, SurveyRound
from naervaer.stats.masking import MIN_PERSONS

COLUMNS = ["unit_id", "month", "indicator", "numerator", "denominator"]


def _survey_rows(organisation_id: int) -> list[tuple]:
    rows = []
    for survey in SurveyRound.objects.filter(
        organisation_id=organisation_id, status=SurveyRound.Status.CLOSED
    ).select_related("instrument", "root_unit"):
        counts = results.round_counts(survey)
        definition = survey.instrument.definition
        index = {item["key"]: i for i, item in enumerate(definition["items"])}
        steps = counts.tally.counts.shape[2]
        agree = steps // 2
        month = survey.closes_on.replace(day=1)
        for row, unit_id in enumerate(counts.tally.unit_ids):
            if counts.tally.own_respondents[row] < max(survey.min_group, MIN_PERSONS):
                continue
            own = _own_counts(counts, row)
            for factor in definition["factors"]:
                grid = own[[index[k] for k in factor["items"]]].sum(axis=0)
                total = int(grid.sum())
                if total:
                    rows.append(
                        (
                            unit_id,
                            month,
                            f"survey_agree:{factor['key']}",
                            int(grid[-agree:].sum()),
                            total,
                        )
                    )
    return rows


def _own_counts(counts: results.RoundCounts, row: int) -> np.ndarray:
    """The unit's own answers: its subtree counts minus its children's."""
    own = counts.tally.counts[row].copy()
    for child in np.nonzero(counts.tally.parent_index == row)[0]:
        own -= counts.tally.counts[child]
    return own


def _measure_rows(organisation_id: int, today: dt.date) -> list[tuple]:
    due: Counter = Counter()
    on_time: Counter = Counter()
    for unit_id, deadline, status, done_on in (
        Measure.objects.filter(plan__organisation_id=organisation_id, deadline__lte=today)
        .exclude(status=Measure.Status.DROPPED)
        .values_list("plan__unit_id", "deadline", "status", "done_on")
    ):
        key = (unit_id, deadline.replace(day=1))
        due[key] += 1
        on_time[key] += int(
            status == Measure.Status.DONE and done_on is not None and done_on <= deadline
        )
    return [(u, m, "measures_on_time", on_time[(u, m)], n) for (u, m), n in due.items()]


def _conversation_rows(organisation_id: int, today: dt.date) -> list[tuple]:
    rows = []
    for year in sorted(
        set(
            Conversation.objects.filter(unit__organisation_id=organisation_id).values_list(
                "year", flat=True
            )
        )
    ):
        day = min(today, dt.date(year, 12, 31))
        employed = Counter(
            Employment.objects.filter(
                access.active_on(day), organisation_id=organisation_id
            ).values_list("unit_id", flat=True)
        )
        held = Counter(
            Conversation.objects.filter(
                year=year, held_on__isnull=False, unit__organisation_id=organisation_id
            ).values_list("unit_id", flat=True)
        )
        for unit_id, people in employed.items():
            if people >= MIN_PERSONS:
                rows.append(
                    (
                        unit_id,
                        dt.date(year, 12, 1),
                        "conversations_held",
                        min(held[unit_id], people),
                        people,
                    )
                )
    return rows


def process_table(organisation_id: int, today: dt.date | None = None) -> pd.DataFrame:
    day = today or dt.date.today()
    rows = (
        _survey_rows(organisation_id)
        + _measure_rows(organisation_id, day)
        + _conversation_rows(organisation_id, day)
    )
    return pd.DataFrame(rows, columns=COLUMNS)
