"""Masking of small cells (DOMAIN §2 and §9): fewer than 5 persons shows no figures.

The only way to get unmasked figures is ``unmasked=True``, which the web app passes only for
privileged roles. A four-quarter figure is masked when its largest quarterly headcount is below 5.
"""

from __future__ import annotations

import pandas as pd

MIN_PERSONS = 5
REASON_SMALL = f"fewer than {MIN_PERSONS} persons"
REASON_SMALL_QUARTER = f"largest quarterly headcount below {MIN_PERSONS}"


def apply_mask(frame: pd.DataFrame, key_columns: list[str], unmasked: bool = False,
               headcount: pd.Series | None = None) -> pd.DataFrame:
    """Add ``masked`` and ``mask_reason``; blank every figure of masked cells unless ``unmasked``.

    ``headcount`` is the count the rule looks at (persons in the cell, or the largest quarterly
    headcount for four-quarter figures); it defaults to the cell's persons.
    """
    out = frame.copy()
    count = out["persons"] if headcount is None else headcount
    small = count < MIN_PERSONS
    out["masked"] = small if not unmasked else False
    reason = REASON_SMALL if headcount is None else REASON_SMALL_QUARTER
    out["mask_reason"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if unmasked:
        return out
    out.loc[small, "mask_reason"] = reason
    figures = [c for c in out.columns if c not in (*key_columns, "masked", "mask_reason")]
    out[figures] = out[figures].astype(object)
    out.loc[small, figures] = None
    return out
