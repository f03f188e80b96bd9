"""The unit tree as the evaluation sees it: an evaluated unit covers its whole subtree, and units are
suggested as references by similarity of size, sector and before-period level."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from naervaer.stats.evaluation.spec import SpecError


@dataclass(frozen=True)
class UnitTree:
    parent: dict[int, int | None]
    names: dict[int, str]

    @classmethod
    def from_table(cls, units: pa.Table) -> UnitTree:
        ids = units.column("unit_id").to_pylist()
        parents = units.column("parent_id").to_pylist()
        names = units.column("name").to_pylist()
        return cls(
            parent=dict(zip(ids, parents, strict=True)),
            names={u: str(n) for u, n in zip(ids, names, strict=True)},
        )

    def ancestors(self, unit: int) -> list[int]:
        """The unit itself and every unit above it, nearest first."""
        chain, seen = [unit], {unit}
        while (up := self.parent.get(chain[-1])) is not None and up not in seen:
            chain.append(up)
            seen.add(up)
        return chain

    def depth(self, unit: int) -> int:
        return len(self.ancestors(unit)) - 1

    def sector(self, unit: int) -> int:
        """The unit's ancestor just below the root (the sector in a municipality)."""
        chain = self.ancestors(unit)
        return chain[-2] if len(chain) >= 2 else chain[-1]

    def assign(self, evaluated: tuple[int, ...]) -> dict[int, int]:
        """Map every unit to the evaluated unit whose subtree holds it (units outside all subtrees are left out)."""
        chosen = set(evaluated)
        mapping = {}
        for unit in self.parent:
            hits = [u for u in self.ancestors(unit) if u in chosen]
            if hits:
                mapping[unit] = hits[0]
        return mapping

    def check_disjoint(self, targets: tuple[int, ...], references: tuple[int, ...]) -> None:
        """A reference unit inside a target's subtree (or around it) would compare the target with itself."""
        for ref in references:
            for target in targets:
                if target in self.ancestors(ref) or ref in self.ancestors(target):
                    raise SpecError(
                        "reference_units",
                        f"unit {ref} overlaps target unit {target} in the unit tree",
                    )


def suggest_references(
    tree: UnitTree, raw_before: pd.DataFrame, targets: tuple[int, ...], count: int
) -> tuple[int, ...]:
    """The ``count`` units at the targets' level most like the targets before the intervention.

    Distance = |log size ratio| + |level difference| / level spread + 1 for another sector, where size
    is employment-years and level the absence percent in the before phase (``raw_before`` is the raw
    panel restricted to that phase).
    """
    depth = tree.depth(targets[0])
    target_sectors = {tree.sector(t) for t in targets}
    candidates = tuple(
        u
        for u in tree.parent
        if tree.depth(u) == depth
        and u not in targets
        and not any(t in tree.ancestors(u) or u in tree.ancestors(t) for t in targets)
    )
    stats = {}
    for unit, members in _members(tree, (*targets, *candidates)).items():
        part = raw_before[raw_before["unit_id"].isin(members)]
        if part["possible"].sum() > 0:
            stats[unit] = (
                part["employee_years"].sum(),
                100 * part["lost"].sum() / part["possible"].sum(),
            )
    if not all(t in stats for t in targets):
        raise SpecError("before_start", "the target units have no employments in the before period")
    size = sum(stats[t][0] for t in targets) / len(targets)
    level = sum(stats[t][1] for t in targets) / len(targets)
    levels = [s[1] for s in stats.values()]
    spread = pd.Series(levels).std() or 1.0
    scored = sorted(
        (
            abs(math.log(stats[u][0] / size))
            + abs(stats[u][1] - level) / spread
            + (0.0 if tree.sector(u) in target_sectors else 1.0),
            u,
        )
        for u in candidates
        if u in stats
    )
    if not scored:
        raise SpecError(
            "reference", "no unit at the target units' level has data to be suggested as reference"
        )
    return tuple(u for _, u in scored[:count])


def _members(tree: UnitTree, evaluated: tuple[int, ...]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {u: [] for u in evaluated}
    for unit in tree.parent:
        for up in tree.ancestors(unit):
            if up in members:
                members[up].append(unit)
    return members
