"""The municipality's unit tree: root → sectors → departments → sites, scaled with the headcount.

Staff work in "staff units": sites, or departments directly in administration (which has no
sites). Each sector gets at least one site per department kind, so even a ten-person demo has the
full shape (nursing homes *and* home care).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from naervaer.demo.patterns import (
    ADMIN_DEPARTMENT_SIZE,
    DEPARTMENT_SIZE_IN_SITES,
    SECTORS,
    SITE_NAME_STEMS,
)

ROOT_ID = 1


@dataclass(frozen=True)
class UnitTree:
    """Flat arrays describing every unit, plus the staff units each sector's employees work in."""

    unit_id: np.ndarray  # int64
    parent_id: np.ndarray  # int64, 0 for the root
    name: list[str]
    level: list[str]
    sector: np.ndarray  # index into SECTORS, -1 for the root
    staff_units: list[np.ndarray]  # per sector: unit ids that hold ordinary staff
    departments: np.ndarray  # unit ids of all departments

    def ids_at(self, level: str) -> np.ndarray:
        """Unit ids at one level of the tree ("organisation", "sector", "department", "site")."""
        return self.unit_id[np.array(self.level) == level]


def staff_per_sector(staff: int) -> np.ndarray:
    """Split `staff` over the sectors by their shares (largest remainder), each at least its minimum."""
    shares = np.array([s.share for s in SECTORS])
    minimum = np.array([len(s.department_kinds) if s.site_size else 1 for s in SECTORS])
    free = staff - minimum.sum()
    if free < 0:
        raise ValueError(
            f"employees: at least {minimum.sum()} needed to staff every unit, got {staff}"
        )
    raw = shares / shares.sum() * free
    counts = np.floor(raw).astype(np.int64)
    remainder_order = np.argsort(-(raw - counts), kind="stable")
    counts[remainder_order[: free - counts.sum()]] += 1
    return counts + minimum


def _numbered(base: str, index: int, total: int, word: str = "") -> str:
    return base if total == 1 else f"{base}{word} {index + 1}"


def build_unit_tree(organisation_name: str, staff_counts: np.ndarray) -> UnitTree:
    """Units for the given staff per sector; unit ids are assigned breadth-first from 1."""
    ids: list[int] = [ROOT_ID]
    parents: list[int] = [0]
    names: list[str] = [organisation_name]
    levels: list[str] = ["organisation"]
    sectors: list[int] = [-1]

    def add(parent: int, name: str, level: str, sector: int) -> int:
        ids.append(len(ids) + 1)
        parents.append(parent)
        names.append(name)
        levels.append(level)
        sectors.append(sector)
        return ids[-1]

    sector_ids = [
        add(ROOT_ID, profile.name, "sector", index) for index, profile in enumerate(SECTORS)
    ]
    staff_units: list[np.ndarray] = []
    departments: list[int] = []
    for index, (profile, staff, sector_id) in enumerate(
        zip(SECTORS, staff_counts, sector_ids, strict=True)
    ):
        kinds = profile.department_kinds
        if profile.site_size == 0:
            n_departments = max(1, round(staff / ADMIN_DEPARTMENT_SIZE))
        else:
            n_sites = max(len(kinds), min(int(staff), round(staff / profile.site_size)))
            # A whole number of rounds over the kinds, so site d of kind k is unique by its stem.
            n_departments = len(kinds) * math.ceil(n_sites / DEPARTMENT_SIZE_IN_SITES / len(kinds))
        rounds = math.ceil(n_departments / len(kinds))
        dept_ids = [
            add(
                sector_id,
                _numbered(
                    kinds[d % len(kinds)],
                    d // len(kinds),
                    rounds,
                    "" if profile.site_size == 0 else " område",
                ),
                "department",
                index,
            )
            for d in range(n_departments)
        ]
        departments.extend(dept_ids)
        if profile.site_size == 0:
            staff_units.append(np.array(dept_ids, dtype=np.int64))
            continue
        site_ids = []
        for s in range(n_sites):
            kind = s % len(kinds)
            stem_index = s // len(kinds)
            stem = SITE_NAME_STEMS[stem_index % len(SITE_NAME_STEMS)]
            repeat = stem_index // len(SITE_NAME_STEMS)
            name = f"{stem} {profile.site_suffixes[kind]}" + (f" {repeat + 1}" if repeat else "")
            site_ids.append(add(dept_ids[s % n_departments], name, "site", index))
        staff_units.append(np.array(site_ids, dtype=np.int64))
    return UnitTree(
        unit_id=np.array(ids, dtype=np.int64),
        parent_id=np.array(parents, dtype=np.int64),
        name=names,
        level=levels,
        sector=np.array(sectors, dtype=np.int64),
        staff_units=staff_units,
        departments=np.array(departments, dtype=np.int64),
    )
