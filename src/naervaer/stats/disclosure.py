"""Disclosure control over additive relations: primary and secondary (complementary) suppression.

Hiding every cell of fewer than 5 persons (primary suppression) is not enough when the figures
add up: a parent unit minus its children is its own employees, a total minus the other categories
is the last one, a quarter minus two of its months is the third. So, as NAV and SSB do it, cells
are also hidden to protect the small ones (secondary suppression):

1. every relation that has exactly one hidden cell gets a second one — its shown cell with the
   fewest persons, which loses least — until no relation has exactly one (``_close``);
2. the pattern is then audited exactly: a hidden cell is *derivable* when its value follows from
   the shown cells through any combination of the relations (linear algebra per group of linked
   hidden cells, ``derivable``). A small cell that is still derivable gets one more complement and
   the two steps run again. A group of more than ``AUDIT_LIMIT`` linked hidden cells is not
   audited (the solve grows with the cube of its size): it relies on step 1 alone, which is exact
   within one hierarchy (a unit tree, a breakdown, a quarter's months) but not across them.

Cells with no persons are not cells at all: their figures are known to be zero. Pure numpy/scipy;
the statistics cube (``protection``) and the survey results (``prevention``) build the relations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from naervaer.stats.masking import MIN_PERSONS

TOLERANCE = 1e-8
AUDIT_LIMIT = 400  # linked hidden cells solved together at most (a 400 × 400 eigh: ~30 ms)


@dataclass(frozen=True)
class Equations:
    """Additive relations among cells: in relation ``r`` the cells of the members with ``rel == r``,
    each times its ``sign`` (+1 for a part, −1 for the total), add up to zero."""

    rel: np.ndarray  # int64 relation of each member
    cell: np.ndarray  # int64 cell of each member
    sign: np.ndarray  # float64 +1 or −1
    count: int  # number of relations

    @classmethod
    def of(cls, relations: Iterable[tuple[int, Sequence[int]]]) -> Equations:
        """From (total cell, part cells) pairs — a convenience for small trees."""
        rel, cell, sign = [], [], []
        count = 0
        for number, (total, parts) in enumerate(relations):
            rel += [number] * (1 + len(parts))
            cell += [total, *parts]
            sign += [-1.0] + [1.0] * len(parts)
            count = number + 1
        return cls(
            np.array(rel, np.int64), np.array(cell, np.int64), np.array(sign, np.float64), count
        )

    @classmethod
    def concat(cls, parts: Sequence[Equations]) -> Equations:
        offsets = np.cumsum([0, *[p.count for p in parts]])
        return cls(
            np.concatenate([p.rel + o for p, o in zip(parts, offsets, strict=False)]),
            np.concatenate([p.cell for p in parts]),
            np.concatenate([p.sign for p in parts]),
            int(offsets[-1]),
        )

    def live(self, persons: np.ndarray) -> Equations:
        """The relations without their empty cells (known zeros)."""
        keep = persons[self.cell] > 0
        return Equations(self.rel[keep], self.cell[keep], self.sign[keep], self.count)


def sensitive(persons: np.ndarray, minimum: int = MIN_PERSONS) -> np.ndarray:
    """Primary suppression: cells of 1 to ``minimum`` − 1 persons."""
    return (persons > 0) & (persons < max(minimum, MIN_PERSONS))


def suppress(
    persons: np.ndarray,
    equations: Equations,
    minimum: int = MIN_PERSONS,
    small: np.ndarray | None = None,
) -> np.ndarray:
    """The cells to hide: the small ones (``small``, by default fewer than ``minimum`` persons) and
    the complements that keep them from being derived through ``equations``."""
    persons = np.asarray(persons, dtype=np.int64)
    small = sensitive(persons, minimum) if small is None else small & (persons > 0)
    hidden = small.copy()
    equations = equations.live(persons)
    while True:
        _close(hidden, persons, equations)
        leaks = derivable(hidden, equations) & small
        if not leaks.any():
            return hidden
        before = int(hidden.sum())
        _widen(hidden, np.flatnonzero(leaks), persons, equations)
        if hidden.sum() == before:  # nothing left to hide beside them: hide every cell
            return persons > 0


def _close(hidden: np.ndarray, persons: np.ndarray, equations: Equations) -> None:
    """Until stable: every relation with exactly one hidden cell hides its shown cell with the
    fewest persons (the lowest cell number among equals, so the choice is reproducible)."""
    rel, cell = equations.rel, equations.cell
    while True:
        shown = ~hidden[cell]
        lonely = np.bincount(rel, weights=~shown, minlength=equations.count) == 1
        chosen = lonely[rel] & shown
        if not chosen.any():
            return
        r, c = rel[chosen], cell[chosen]
        order = np.lexsort((c, persons[c], r))
        r, c = r[order], c[order]
        first = np.ones(len(r), dtype=bool)
        first[1:] = r[1:] != r[:-1]
        hidden[c[first]] = True


def _widen(
    hidden: np.ndarray, leaks: np.ndarray, persons: np.ndarray, equations: Equations
) -> None:
    """Hide one more cell beside each derivable small cell: the shown cell with the fewest persons
    in the relations it is in, or else in the relations next to those."""
    by_cell = np.argsort(equations.cell, kind="stable")
    cells_sorted = equations.cell[by_cell]
    by_rel = np.argsort(equations.rel, kind="stable")
    rels_sorted = equations.rel[by_rel]
    for leak in leaks:
        frontier = {int(leak)}
        seen_rel: set[int] = set()
        while frontier:
            members = []
            for cell in frontier:
                lo, hi = np.searchsorted(cells_sorted, [cell, cell + 1])
                for r in equations.rel[by_cell[lo:hi]]:
                    if int(r) not in seen_rel:
                        seen_rel.add(int(r))
                        lo_r, hi_r = np.searchsorted(rels_sorted, [r, r + 1])
                        members.extend(equations.cell[by_rel[lo_r:hi_r]].tolist())
            candidates = [m for m in members if not hidden[m]]
            if candidates:
                hidden[min(candidates, key=lambda m: (persons[m], m))] = True
                break
            frontier = set(members) - frontier


def derivable(hidden: np.ndarray, equations: Equations) -> np.ndarray:
    """The hidden cells whose value follows from the shown ones through the relations.

    Only the hidden members of each relation are unknowns; a cell is determined exactly when its
    unit vector lies in the row space of the relations restricted to the unknowns, i.e. when every
    vector of that matrix's null space is zero at the cell. Solved per connected group of unknowns.
    """
    out = np.zeros(len(hidden), dtype=bool)
    unknown = hidden[equations.cell]
    rel, cell, sign = equations.rel[unknown], equations.cell[unknown], equations.sign[unknown]
    if not len(cell):
        return out
    cells, column = np.unique(cell, return_inverse=True)
    rels, row = np.unique(rel, return_inverse=True)
    graph = coo_matrix(
        (np.ones(len(row)), (row, len(rels) + column)),
        shape=(len(rels) + len(cells),) * 2,
    )
    _, component = connected_components(graph, directed=False)
    row_component, column_component = component[row], component[len(rels) + column]
    column_size = np.bincount(column_component, minlength=component.max() + 1)
    single = column_size[column_component] == 1
    out[cells[column[single]]] = True  # the only unknown of a relation
    several = ~single
    order = np.argsort(row_component[several], kind="stable")
    r, c, s, k = (a[several][order] for a in (row, column, sign, column_component))
    bounds = np.flatnonzero(np.diff(k)) + 1
    for rows, columns, signs in zip(
        np.split(r, bounds), np.split(c, bounds), np.split(s, bounds), strict=True
    ):
        column_ids, column_local = np.unique(columns, return_inverse=True)
        if len(column_ids) > AUDIT_LIMIT:
            continue
        row_ids, row_local = np.unique(rows, return_inverse=True)
        matrix = np.zeros((len(row_ids), len(column_ids)))
        np.add.at(matrix, (row_local, column_local), signs)
        out[cells[column_ids[_determined(matrix)]]] = True
    return out


def _determined(matrix: np.ndarray) -> np.ndarray:
    """Columns of ``matrix`` whose unknown is fixed by ``matrix @ x = b`` for any consistent b."""
    values, vectors = np.linalg.eigh(matrix.T @ matrix)  # its null space is the matrix's
    null = vectors[:, values < TOLERANCE * matrix.shape[1]]
    fixed: np.ndarray = np.abs(null).max(axis=1, initial=0.0) < 1e-7
    return fixed


def tree_equations(parent: np.ndarray) -> Equations:
    """Relations of a unit tree with ``n`` rows: cell ``i`` is row i's subtree total, cell
    ``n + i`` its own part (people on the unit itself, not below it); subtree = own + children."""
    n = len(parent)
    rows = np.arange(n)
    has_parent = parent >= 0
    rel = np.concatenate([rows, rows, parent[has_parent]])
    cell = np.concatenate([rows, n + rows, rows[has_parent]])
    sign = np.concatenate([-np.ones(n), np.ones(n), np.ones(int(has_parent.sum()))])
    return Equations(rel.astype(np.int64), cell.astype(np.int64), sign, n)
