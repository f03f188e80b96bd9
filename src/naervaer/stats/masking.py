"""Masking of small cells (DOMAIN §2 and §9): fewer than 5 persons shows no figures.

The only way to get unmasked figures is ``unmasked=True``, which the web app passes only for
privileged roles. A four-quarter figure is masked when its largest quarterly headcount is below 5.
Which further cells are hidden so that no small one can be worked out is ``protection``'s
business; the engine applies both per column while it lays out its result (``api._long``).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

ArrayLike: TypeAlias = np.ndarray | ExtensionArray

MIN_PERSONS = 5
REASON_SMALL = f"fewer than {MIN_PERSONS} persons"
REASON_SMALL_QUARTER = f"largest quarterly headcount below {MIN_PERSONS}"
REASON_PROTECTS = "hidden so that a smaller group cannot be worked out"


def masked_column(values: np.ndarray, small: np.ndarray) -> ArrayLike:
    """``values`` with the cells of ``small`` blank: NaN for decimal figures, <NA> for counts
    (nullable integers) and None for labels."""
    if values.dtype.kind in "iu":
        return pd.arrays.IntegerArray(values.astype(np.int64), small.copy())
    if values.dtype.kind == "f":
        blanked: np.ndarray = np.where(small, np.nan, values)
        return blanked
    out = values.astype(object)
    out[small] = None
    return out


def mask_reasons(hidden: np.ndarray, small: np.ndarray, by_quarter: bool) -> pd.arrays.StringArray:
    """The reason shown for each masked cell (<NA> for shown cells): too few persons, or hidden
    beside a small cell (secondary suppression, ``disclosure``)."""
    reason = REASON_SMALL_QUARTER if by_quarter else REASON_SMALL
    return pd.array(
        np.select([hidden & small, hidden], [reason, REASON_PROTECTS], np.array(None)),
        dtype="string",
    )
