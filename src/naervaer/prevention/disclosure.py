"""Which groups of a survey round's unit tree to suppress — asked of the statistics engine's
disclosure control, so survey results follow the same rule as the absence figures.

``own`` (respondents registered on a unit itself, not below it) is passed on because a parent's
total minus its children's is exactly that group.
"""

from __future__ import annotations

import numpy as np

from naervaer.stats.masking import MIN_PERSONS


def hidden_rows(
    parent_index: np.ndarray, people: np.ndarray, own: np.ndarray, minimum: int = MIN_PERSONS
) -> set[int]:
    """Rows (subtree totals) that must not be shown: fewer than ``minimum`` respondents."""
    return {int(i) for i in np.nonzero(people < max(minimum, MIN_PERSONS))[0]}
