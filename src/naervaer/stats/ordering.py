"""Rows ordered by owner and day with one integer sort — for validation and for the engine.

Checking overlaps, and finding absences that touch, both need the rows of each person (or each
employment) in day order. One integer key per row (owner × span + day) sorts many times faster
than a sort on two columns, and key and row number packed into one int64 faster still.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

BLOCK = 1 << 20


def owner_day_keys(owners: pa.ChunkedArray | pa.Array, day: np.ndarray, last_day: np.ndarray) -> tuple[np.ndarray, int]:
    """owner × span + (day − first day) per row, and the span: room for the day after the latest
    ``last_day``, so keys of one owner never reach the next. In 32 bits when it fits; owners
    numbered densely when their ids are text or too sparse for one integer key."""
    ids = owners.combine_chunks() if isinstance(owners, pa.ChunkedArray) else owners
    first = int(day.min())
    span = int(last_day.max()) + 2 - first
    owner = (ids if pa.types.is_integer(ids.type) else ids.dictionary_encode().indices).to_numpy(zero_copy_only=False)
    if (int(owner.max()) - int(owner.min()) + 1) * span >= 2**62:
        owner = ids.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    low = int(owner.min())
    key = (owner - low).astype(np.int32 if (int(owner.max()) - low + 1) * span < 2**31 else np.int64)
    key *= span
    key += day - first
    return key, span


def sort_order(key: np.ndarray) -> np.ndarray | None:
    """Row order that sorts non-negative integer ``key`` (ties in row order), None when it is
    sorted already (extracts often come ordered by person and date)."""
    if len(key) < 2 or bool((key[1:] >= key[:-1]).all()):
        return None
    bits = (len(key) - 1).bit_length()
    if int(key.max()) >= 1 << (63 - bits):
        return np.argsort(key, kind="stable")
    packed = key.astype(np.int64)
    packed <<= bits
    for first in range(0, len(key), BLOCK):   # row numbers in blocks: no second full-size array
        packed[first:first + BLOCK] |= np.arange(first, min(first + BLOCK, len(key)))
    packed.sort()
    packed &= (1 << bits) - 1
    return packed
