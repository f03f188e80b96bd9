"""Questionnaires as data: read and check an instrument file (TOML), the shipped ones and an
organisation's own (e.g. one it licenses).

Every problem is collected with where it is, so a person fixing the file sees them all at once;
a file with any problem is refused whole. The checked definition is plain data (a dict) with the
items flattened in order, which is what a stored response's ``values`` list follows.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
KINDS = ("profile", "pulse", "mini", "own")


class InstrumentError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class _Checker:
    problems: list[str] = field(default_factory=list)

    def text(self, table: dict, name: str, where: str) -> str:
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problems.append(f"{where}: «{name}» is missing or empty")
            return ""
        return value.strip()

    def key(self, table: dict, where: str, seen: set[str]) -> str:
        value = self.text(table, "key", where)
        if value and not KEY.match(value):
            self.problems.append(
                f"{where}: key «{value}» may hold only small letters, digits, - and _"
            )
        elif value in seen:
            self.problems.append(f"{where}: key «{value}» is used twice")
        seen.add(value)
        return value


def parse_instrument(text: str, source: str = "instrument") -> dict:
    """The checked definition of an instrument file, or :class:`InstrumentError` with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InstrumentError([f"{source}: not a valid TOML file ({error})"]) from None
    except RecursionError:
        raise InstrumentError([f"{source}: arrays or tables nested too deeply"]) from None
    check = _Checker()
    head = data.get("instrument")
    if not isinstance(head, dict):
        raise InstrumentError([f"{source}: the [instrument] table is missing"])
    key = check.key(head, "[instrument]", set())
    kind = head.get("kind", "own")
    if kind not in KINDS:
        check.problems.append(f"[instrument]: kind «{kind}» is not one of {', '.join(KINDS)}")
    version = head.get("version", 1)
    if not isinstance(version, int) or version < 1:
        check.problems.append(
            f"[instrument]: version must be a whole number from 1, got {version!r}"
        )
    titles = {lang: check.text(head, f"title_{lang}", "[instrument]") for lang in ("nb", "en")}
    scale = _scale(data.get("scale"), check)
    factors, items = _factors(data.get("factor"), check)
    free_text = data.get("free_text") or {}
    if free_text and not isinstance(free_text, dict):
        check.problems.append("[free_text]: must be a table with question_nb and question_en")
        free_text = {}
    if free_text:
        free_text = {
            lang: check.text(free_text, f"question_{lang}", "[free_text]") for lang in ("nb", "en")
        }
    if check.problems:
        raise InstrumentError([f"{source}: {problem}" for problem in check.problems])
    return {
        "key": key,
        "kind": kind,
        "version": version,
        "title_nb": titles["nb"],
        "title_en": titles["en"],
        "scale": scale,
        "factors": factors,
        "items": items,
        "free_text": free_text,
    }


def _scale(scale: object, check: _Checker) -> dict:
    if not isinstance(scale, dict):
        check.problems.append(
            "[scale]: the answer scale is missing (min, max, labels_nb, labels_en)"
        )
        return {}
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        check.problems.append(
            f"[scale]: min and max must be whole numbers with 0 ≤ min < max ≤ 10, got {low!r} and {high!r}"
        )
        return {}
    result = {"min": low, "max": high}
    for lang in ("nb", "en"):
        labels = scale.get(f"labels_{lang}")
        if not isinstance(labels, list) or len(labels) != high - low + 1:
            check.problems.append(
                f"[scale]: labels_{lang} must list one label per step ({high - low + 1})"
            )
        elif not all(isinstance(label, str) and label.strip() for label in labels):
            check.problems.append(f"[scale]: labels_{lang} has an empty label")
        else:
            result[f"labels_{lang}"] = labels
    return result


def _factors(factors: object, check: _Checker) -> tuple[list[dict], list[dict]]:
    if not isinstance(factors, list) or not factors:
        check.problems.append("[[factor]]: the instrument has no factors")
        return [], []
    out: list[dict] = []
    items: list[dict] = []
    factor_keys: set[str] = set()
    item_keys: set[str] = set()
    for number, factor in enumerate(factors, start=1):
        where = f"factor {number}"
        if not isinstance(factor, dict):
            check.problems.append(f"{where}: must be a table")
            continue
        key = check.key(factor, where, factor_keys)
        entry = {
            "key": key,
            "title_nb": check.text(factor, "title_nb", where),
            "title_en": check.text(factor, "title_en", where),
            "items": [],
        }
        raw_items = factor.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            check.problems.append(f"{where} ({key}): has no items")
            raw_items = []
        for item_number, item in enumerate(raw_items, start=1):
            item_where = f"{where} ({key}), item {item_number}"
            if not isinstance(item, dict):
                check.problems.append(f"{item_where}: must be a table")
                continue
            item_key = check.key(item, item_where, item_keys)
            reverse = item.get("reverse", False)
            if not isinstance(reverse, bool):
                check.problems.append(f"{item_where}: reverse must be true or false")
            entry["items"].append(item_key)
            items.append(
                {
                    "key": item_key,
                    "factor": key,
                    "text_nb": check.text(item, "text_nb", item_where),
                    "text_en": check.text(item, "text_en", item_where),
                    "reverse": bool(reverse),
                }
            )
        out.append(entry)
    return out, items


@lru_cache(maxsize=8)
def shipped(key: str) -> dict:
    """A shipped instrument's definition (``psychosocial-10``, ``climate-pulse``)."""
    path = SHIPPED_DIR / f"{key}.toml"
    return parse_instrument(path.read_text(encoding="utf-8"), path.name)


def shipped_keys() -> list[str]:
    return sorted(path.stem for path in SHIPPED_DIR.glob("*.toml"))


def mini_definition(full: dict, factor_keys: list[str], round_title: str) -> dict:
    """The "mini" instrument: the full one narrowed to some factors (Aurskog-Høland's follow-up)."""
    chosen = set(factor_keys)
    return {
        **full,
        "key": f"{full['key']}-mini",
        "kind": "mini",
        "title_nb": f"Mini-undersøkelse: {round_title}",
        "title_en": f"Mini survey: {round_title}",
        "factors": [f for f in full["factors"] if f["key"] in chosen],
        "items": [i for i in full["items"] if i["factor"] in chosen],
    }
