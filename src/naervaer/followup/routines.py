"""Which routine applies to an employment: the nearest unit's choice, else the organisation's,
else the legal minimum. Choices are dated rows, so a change applies from its date and the earlier
choices stay as the version history."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from naervaer.followup.models import RoutineChoice
from naervaer.org.models import Employment, Unit
from naervaer.rules import Routine, load_routine

DEFAULT_ROUTINE = "law-minimum"


@dataclass(frozen=True)
class AppliedRoutine:
    routine: Routine
    hr_takeover_weeks: int | None


@lru_cache(maxsize=32)
def routine_named(name: str) -> Routine:
    """Shipped routine files do not change while the process runs; parse each once."""
    return load_routine(name)


class RoutineResolver:
    """The unit trees and routine choices of some organisations, read in two queries, so a bulk
    refresh resolves the routine of thousands of employments in memory."""

    def __init__(self, organisation_ids: Iterable[int], on: datetime.date) -> None:
        ids = set(organisation_ids)
        self.parents = dict(
            Unit.objects.filter(organisation_id__in=ids).values_list("id", "parent_id")
        )
        self.choices: dict[int, list[RoutineChoice]] = defaultdict(list)
        for choice in RoutineChoice.objects.filter(organisation_id__in=ids, valid_from__lte=on):
            self.choices[choice.organisation_id].append(choice)

    def _chain(self, unit_id: int) -> list[int]:
        chain: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def __call__(self, employment: Employment) -> AppliedRoutine:
        chain = self._chain(employment.unit_id)
        choices = [
            c
            for c in self.choices.get(employment.organisation_id, [])
            if c.unit_id is None or c.unit_id in chain
        ]
        if not choices:
            return AppliedRoutine(routine_named(DEFAULT_ROUTINE), None)
        # Nearest unit first (the organisation-wide choice last), then the newest choice.
        choice = min(
            choices,
            key=lambda c: (
                chain.index(c.unit_id) if c.unit_id else len(chain),
                -c.valid_from.toordinal(),
                -c.pk,
            ),
        )
        return AppliedRoutine(routine_named(choice.routine), choice.hr_takeover_weeks)


def routine_for(employment: Employment, on: datetime.date) -> AppliedRoutine:
    return RoutineResolver([employment.organisation_id], on)(employment)
