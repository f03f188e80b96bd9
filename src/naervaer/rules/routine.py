"""Follow-up routines as data: TOML files of milestones, loaded and checked strictly (DOMAIN §8).

A routine file has a `[routine]` table (key, nb/en titles, source, due_window_days) and one
`[[milestone]]` table per milestone. A bad file is refused with one message naming the file, the
milestone key, the field and the rule it breaks, so an HR adviser can fix it without reading code.
Shipped routines live beside this module in `routines/<key>.toml`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROUTINE_DIR = Path(__file__).resolve().parent / "routines"

ROLES = (
    "employee",
    "nearest_leader",
    "unit_leader",
    "hr",
    "occupational_health",
    "nav",
    "safety_rep",
    "analyst",
    "admin",
)
ANCHORS = ("case_start", "employer_period_end", "fewer_than_91_left", "max_date", "on_request")
ABSENCE = ("any", "full", "partial")
#: ICPC-2 chapter letters (A general … Z social problems).
DIAGNOSIS_CHAPTERS = tuple("ABDFHKLNPRSTUWXYZ")


class RoutineError(ValueError):
    """A routine file that cannot be used, with the place and the rule it breaks."""


@dataclass(frozen=True, slots=True)
class Escalation:
    to: str
    after_days: int


@dataclass(frozen=True, slots=True)
class Conditions:
    case_open: bool = True
    absence: str = "any"
    diagnosis_chapters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Milestone:
    key: str
    title_nb: str
    title_en: str
    anchor: str
    offset_days: int
    responsible: str
    document: str
    legal_reference: str
    waivable: bool
    conditions: Conditions
    escalation: Escalation | None
    source: str


@dataclass(frozen=True, slots=True)
class Routine:
    key: str
    title_nb: str
    title_en: str
    source: str
    due_window_days: int
    milestones: tuple[Milestone, ...]


def shipped_routines() -> list[str]:
    return sorted(path.stem for path in ROUTINE_DIR.glob("*.toml"))


def load_routine(name_or_path: str | Path) -> Routine:
    """Load a shipped routine by key (e.g. ``law-minimum``) or any routine file by path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = ROUTINE_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            raise RoutineError(
                f"unknown routine {str(name_or_path)!r}; shipped: {', '.join(shipped_routines())}"
            )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RoutineError(f"{path}: cannot read routine file: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RoutineError(f"{path}: not valid TOML: {exc}") from exc
    return parse_routine(data, str(path))


class _Fields:
    """Reads one table and names the place in every complaint."""

    def __init__(self, table: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(table, dict):
            raise RoutineError(f"{where}: must be a table")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise RoutineError(
                f"{where}: field {unknown[0]!r}: unknown field (allowed: {', '.join(sorted(allowed))})"
            )
        self.table, self.where = table, where

    def get(
        self,
        name: str,
        kind: type,
        default: Any = ...,
        choices: tuple[str, ...] = (),
        minimum: int | None = None,
    ) -> Any:
        if name not in self.table:
            if default is ...:
                raise RoutineError(f"{self.where}: field {name!r}: required")
            return default
        value = self.table[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise RoutineError(
                f"{self.where}: field {name!r}: must be {kind.__name__}, got {value!r}"
            )
        if isinstance(value, str) and not value.strip():
            raise RoutineError(f"{self.where}: field {name!r}: must not be empty")
        if choices and value not in choices:
            raise RoutineError(
                f"{self.where}: field {name!r}: {value!r} is not one of {', '.join(choices)}"
            )
        if minimum is not None and isinstance(value, int) and value < minimum:
            raise RoutineError(
                f"{self.where}: field {name!r}: must be at least {minimum}, got {value}"
            )
        return value


def parse_routine(data: dict[str, Any], file: str) -> Routine:
    """Check and build a routine from parsed TOML; `file` names it in error messages."""
    top = _Fields(data, file, {"routine", "milestone"})
    head = _Fields(
        top.get("routine", dict),
        f"{file}: [routine]",
        {"key", "title_nb", "title_en", "source", "due_window_days"},
    )
    tables = top.get("milestone", list)
    if not tables:
        raise RoutineError(f"{file}: field 'milestone': a routine needs at least one milestone")
    milestones: list[Milestone] = []
    for number, table in enumerate(tables, start=1):
        key = table.get("key") if isinstance(table, dict) else None
        milestone = _parse_milestone(table, f"{file}: milestone {key or '#' + str(number)!r}")
        if any(m.key == milestone.key for m in milestones):
            raise RoutineError(f"{file}: milestone {milestone.key!r}: field 'key': used twice")
        milestones.append(milestone)
    return Routine(
        head.get("key", str),
        head.get("title_nb", str),
        head.get("title_en", str),
        head.get("source", str),
        head.get("due_window_days", int, 7, minimum=0),
        tuple(milestones),
    )


def _parse_milestone(table: Any, where: str) -> Milestone:
    fields = _Fields(
        table,
        where,
        {
            "key",
            "title_nb",
            "title_en",
            "anchor",
            "offset_days",
            "responsible",
            "document",
            "legal_reference",
            "waivable",
            "conditions",
            "escalation",
            "source",
        },
    )
    anchor = fields.get("anchor", str, "case_start", choices=ANCHORS)
    offset = fields.get("offset_days", int, 0, minimum=-365)
    if anchor == "case_start" and offset < 0:
        raise RoutineError(
            f"{where}: field 'offset_days': must be at least 0 from the case start, got {offset}"
        )
    cond = _Fields(
        fields.get("conditions", dict, {}),
        f"{where}: [conditions]",
        {"case_open", "absence", "diagnosis_chapters"},
    )
    chapters = cond.get("diagnosis_chapters", list, [])
    for chapter in chapters:
        if chapter not in DIAGNOSIS_CHAPTERS:
            raise RoutineError(
                f"{where}: [conditions]: field 'diagnosis_chapters': {chapter!r} is not an "
                f"ICPC-2 chapter letter ({''.join(DIAGNOSIS_CHAPTERS)})"
            )
    escalation = None
    if "escalation" in fields.table:
        esc = _Fields(fields.table["escalation"], f"{where}: [escalation]", {"to", "after_days"})
        escalation = Escalation(
            esc.get("to", str, choices=ROLES), esc.get("after_days", int, minimum=1)
        )
    return Milestone(
        key=fields.get("key", str),
        title_nb=fields.get("title_nb", str),
        title_en=fields.get("title_en", str),
        anchor=anchor,
        offset_days=offset,
        responsible=fields.get("responsible", str, choices=ROLES),
        document=fields.get("document", str),
        legal_reference=fields.get("legal_reference", str, ""),
        waivable=fields.get("waivable", bool, False),
        conditions=Conditions(
            cond.get("case_open", bool, True),
            cond.get("absence", str, "any", choices=ABSENCE),
            tuple(chapters),
        ),
        escalation=escalation,
        source=fields.get("source", str, ""),
    )
