"""The intervention definition: who got the intervention, who is compared with them, when, and what is measured.

A specification is written by an evaluator as TOML (see docs/evaluation.md). Every rule broken is
reported as a :class:`SpecError` naming the offending field, because an evaluation that silently
drops a unit or a period is exactly the kind of careless measurement the 2003 report warns about.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from naervaer.stats.evaluation.indicators import INDICATORS

PHASES = ("before", "preparation", "active", "after")


class SpecError(ValueError):
    """A specification (or its fit to the data) that cannot be evaluated; ``field`` names the culprit."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class InterventionSpec:
    """One intervention. Units are unit ids; ``reference_units`` is empty when ``reference == "suggest"``."""

    name: str
    target_units: tuple[int, ...]
    before_start: dt.date
    active_start: dt.date
    active_end: dt.date
    after_end: dt.date
    reference_units: tuple[int, ...] = ()
    reference: str = "chosen"  # "chosen" | "suggest" | "none"
    reference_count: int = 3
    preparation_start: dt.date | None = None
    indicators: tuple[str, ...] = tuple(INDICATORS)
    description: str = ""
    bootstrap_draws: int = 999
    seed: int = 2003

    @classmethod
    def from_toml(
        cls, path_or_text: str | Path, known_units: Mapping[int, str] | None = None
    ) -> InterventionSpec:
        """Parse and validate a spec from a TOML file path or TOML text.

        ``known_units`` maps unit id to name; when given, units may be named by id or by exact name,
        and unknown units are refused.
        """
        text = _read_text(path_or_text)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError("toml", f"malformed TOML: {exc}") from exc
        except RecursionError:
            raise SpecError("toml", "malformed TOML: arrays or tables nested too deeply") from None
        return cls.from_mapping(data, known_units)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, object], known_units: Mapping[int, str] | None = None
    ) -> InterventionSpec:
        """Validate an already parsed spec (the web form uses this)."""
        allowed = {
            "name",
            "description",
            "target_units",
            "reference_units",
            "reference",
            "reference_count",
            "before_start",
            "preparation_start",
            "active_start",
            "active_end",
            "after_end",
            "indicators",
            "bootstrap_draws",
            "seed",
        }
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise SpecError(
                unknown[0], f"unknown field; allowed fields are {', '.join(sorted(allowed))}"
            )
        name = _required(data, "name")
        if not isinstance(name, str) or not name.strip():
            raise SpecError("name", "must be a non-empty string")
        targets = _units(data, "target_units", known_units, required=True)
        reference = data.get("reference", "chosen")
        if reference not in ("chosen", "suggest", "none"):
            raise SpecError(
                "reference", f"must be 'chosen', 'suggest' or 'none', got {reference!r}"
            )
        references = _units(data, "reference_units", known_units, required=False)
        if reference == "chosen" and "reference_units" not in data:
            raise SpecError(
                "reference_units",
                'missing; list reference units, or set reference = "suggest" or "none"',
            )
        if reference != "chosen" and references:
            raise SpecError("reference_units", f"must be left out when reference = {reference!r}")
        overlap = sorted(set(targets) & set(references))
        if overlap:
            raise SpecError("reference_units", f"unit {overlap[0]} is also a target unit")
        before_start = _date(data, "before_start")
        preparation_start = _optional_date(data, "preparation_start")
        active_start = _date(data, "active_start")
        active_end = _date(data, "active_end")
        after_end = _date(data, "after_end")
        _check_order(
            {
                "before_start": before_start,
                "preparation_start": preparation_start,
                "active_start": active_start,
                "active_end": active_end,
                "after_end": after_end,
            }
        )
        indicators = data.get("indicators", list(INDICATORS))
        if not isinstance(indicators, list) or not indicators:
            raise SpecError("indicators", "must be a non-empty list of indicator names")
        for ind in indicators:
            if ind not in INDICATORS:
                raise SpecError(
                    "indicators", f"unknown indicator {ind!r}; known: {', '.join(INDICATORS)}"
                )
        count = _integer(data, "reference_count", default=3, low=1)
        draws = _integer(data, "bootstrap_draws", default=999, low=99)
        seed = _integer(data, "seed", default=2003, low=0)
        return cls(
            name=name.strip(),
            description=str(data.get("description", "")),
            target_units=targets,
            reference_units=references,
            reference=str(reference),
            reference_count=count,
            before_start=before_start,
            preparation_start=preparation_start,
            active_start=active_start,
            active_end=active_end,
            after_end=after_end,
            indicators=tuple(dict.fromkeys(indicators)),
            bootstrap_draws=draws,
            seed=seed,
        )

    def phase_of_month(self, month: dt.date) -> str | None:
        """The project phase a calendar month (given by its first day) belongs to, or None outside the study.

        Phases are whole months: the month holding a boundary date belongs to the phase that starts there.
        """
        first = _month(self.before_start)
        prep = _month(self.preparation_start) if self.preparation_start else None
        active, active_end, after_end = (
            _month(self.active_start),
            _month(self.active_end),
            _month(self.after_end),
        )
        if month < first or month > after_end:
            return None
        if month >= active:
            return "active" if month <= active_end else "after"
        return "preparation" if prep is not None and month >= prep else "before"

    @property
    def post_phases(self) -> tuple[str, ...]:
        """Phases whose effect is estimated (the after phase only when it holds at least one month)."""
        return (
            ("active", "after") if _month(self.after_end) > _month(self.active_end) else ("active",)
        )


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _read_text(path_or_text: str | Path) -> str:
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8")
    if "\n" not in path_or_text and "=" not in path_or_text:
        path = Path(path_or_text)
        if not path.is_file():
            raise SpecError("spec", f"file not found: {path}")
        return path.read_text(encoding="utf-8")
    return path_or_text


def _required(data: Mapping[str, object], key: str) -> object:
    if key not in data:
        raise SpecError(key, "missing required field")
    return data[key]


def _units(
    data: Mapping[str, object], key: str, known: Mapping[int, str] | None, *, required: bool
) -> tuple[int, ...]:
    if key not in data:
        if required:
            raise SpecError(key, "missing required field")
        return ()
    raw = data[key]
    if not isinstance(raw, list) or (required and not raw):
        raise SpecError(key, "must be a non-empty list of unit ids or unit names")
    by_name = {name: uid for uid, name in (known or {}).items()}
    ids: list[int] = []
    for item in raw:
        if isinstance(item, int) and not isinstance(item, bool):
            if known is not None and item not in known:
                raise SpecError(key, f"unknown unit id {item}")
            ids.append(item)
        elif isinstance(item, str) and known is not None:
            if item not in by_name:
                raise SpecError(key, f"unknown unit name {item!r}")
            ids.append(by_name[item])
        else:
            raise SpecError(
                key, f"entries must be unit ids (integers) or known unit names, got {item!r}"
            )
    if len(set(ids)) != len(ids):
        raise SpecError(key, "lists the same unit twice")
    return tuple(ids)


def _integer(data: Mapping[str, object], key: str, *, default: int, low: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise SpecError(key, f"must be an integer >= {low}, got {value!r}")
    return value


def _optional_date(data: Mapping[str, object], key: str) -> dt.date | None:
    return _date(data, key) if key in data else None


def _date(data: Mapping[str, object], key: str) -> dt.date:
    if key not in data:
        raise SpecError(key, "missing required date (YYYY-MM-DD)")
    value = data[key]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise SpecError(key, f"must be a date YYYY-MM-DD, got {value!r}")


def _check_order(dates: Mapping[str, dt.date | None]) -> None:
    """Phases must follow each other and the before period must hold at least one whole month."""
    chain = [
        k
        for k in ("before_start", "preparation_start", "active_start", "active_end", "after_end")
        if dates[k]
    ]
    for earlier, later in pairwise(chain):
        if dates[later] < dates[earlier]:  # type: ignore[operator]
            raise SpecError(
                later, f"{dates[later]} is before {earlier} {dates[earlier]}; periods out of order"
            )
    first_not_before = dates["preparation_start"] or dates["active_start"]
    if _month(first_not_before) <= _month(dates["before_start"]):  # type: ignore[arg-type]
        raise SpecError(
            "before_start",
            "the before period must hold at least one whole month before the next phase",
        )
