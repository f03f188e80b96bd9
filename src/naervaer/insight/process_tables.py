"""Process indicators other apps offer the evaluation page (docs/evaluation.md, process table).

An app registers a function ``organisation id → DataFrame`` (columns unit_id, month, indicator,
numerator, denominator) in its ``AppConfig.ready``; the evaluation page then offers "process"
as an indicator and passes the concatenated tables to the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

Provider = Callable[[int], pd.DataFrame]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def available() -> bool:
    return bool(_providers)


def for_organisation(organisation_id: int) -> pd.DataFrame | None:
    frames = [frame for provider in _providers if len(frame := provider(organisation_id))]
    return pd.concat(frames, ignore_index=True) if frames else None
