"""Sickness-absence statistics (DOMAIN.md §9) as pure Python over Ibis — no Django here.

DuckDB in-process is the default engine, PySpark the engine for scale-out; both run the same
expressions. See docs/stats-input.md for the input format and the definitions. The public names
are imported lazily so that `naervaer --help` does not load Ibis.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "compute": "naervaer.stats.api",
    "spells": "naervaer.stats.api",
    "compare": "naervaer.stats.api",
    "percent": "naervaer.stats.rounding",
    "present_percent": "naervaer.stats.rounding",
    "present_ratio": "naervaer.stats.rounding",
    "load_input": "naervaer.stats.schema",
    "validate_tables": "naervaer.stats.schema",
    "InputError": "naervaer.stats.schema",
    "reference_unit_month": "naervaer.stats.reference",
}
__all__ = [
    "InputError",
    "compare",
    "compute",
    "load_input",
    "percent",
    "present_percent",
    "present_ratio",
    "reference_unit_month",
    "spells",
    "validate_tables",
]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'naervaer.stats' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
