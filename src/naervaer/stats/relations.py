"""The relational part of the engine in Ibis — the same expressions on DuckDB and Spark.

What needs a join on something other than a key, or distinct counting, is done here; lookups,
sorted scans and adding up are not (``families`` looks up the employment an absence names and
chains touching absences into spells, ``accumulate`` adds up into the dense grid, in numpy).
The relations return compact rows:
- ``implicit_pairs``: absences without employment_id, each paired with every employment of the
  person it overlaps, as (arow, erow) row numbers;
- ``person_family``: persons counted once per group and period from islands (merged employments
  of one person in one group): +1 in the island's first period, −1 after its last, and −1 for a
  period shared by two consecutive islands of the same person. Persons are the one measure that
  does not add up the unit tree, so the roll-up is a join with the unit closure here.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from naervaer.stats.prepare import EngineInput

# Event steps of a person island: 0 first period, 1 after the last, 2 and 3 a shared period.
STEPS = pa.table({"k": pa.array([0, 1, 2, 3], pa.int8())})


class Relations:
    """Builds the relations of one engine input on one Ibis backend."""

    def __init__(
        self, backend: Any, engine_input: EngineInput, by_unit: bool, rollup: bool
    ) -> None:
        self.backend, self.input = backend, engine_input
        self.by_unit, self.rollup = by_unit, rollup
        self.employments = ibis.memtable(engine_input.employments)
        self.absences = ibis.memtable(engine_input.absences)
        self.closure = ibis.memtable(engine_input.closure)
        self.steps = ibis.memtable(STEPS)

    def implicit_pairs(self) -> ir.Table:
        """Absences without employment_id paired with every employment row of the person they
        overlap: arow, erow."""
        ab, emp = self.absences, self.employments
        joined = ab.join(emp, ab.a_employee == emp.employee_id)
        return joined.filter(
            ibis.greatest(joined.a_s, joined.s) <= ibis.least(joined.a_e, joined.e)
        ).select("arow", "erow")

    def _keyed(self) -> ir.Table:
        """Employments in the range with their group key (unit code × width + breakdown code),
        once per unit above them as well with rollup."""
        emp = self.employments
        emp = emp.filter((emp.s <= self.input.range_hi) & (emp.e >= self.input.range_lo))
        width = self.input.groups.width
        if self.rollup:
            closure = self.closure.view()
            joined = emp.join(closure, emp.unit_id == closure.unit_id)
            emp = joined.select(
                *[joined[c] for c in emp.columns if c != "unit_id"], unit_id=closure.ancestor
            )
        unit = emp.unit_id.cast("int64") if self.by_unit else ibis.literal(0, "int64")
        return emp.select("employee_id", "s", "e", "s_p", "l_p", key=unit * width + emp.b)

    def _islands(self) -> ir.Table:
        """Merged employment of one person in one group: first and last period, and the previous
        island's last period."""
        emp = self._keyed()
        person = ["employee_id", "key"]
        before = ibis.window(group_by=person, order_by=["s", "e"], rows=(None, -1))
        flagged = emp.mutate(
            _new=ibis.ifelse(
                emp.e.max().over(before).isnull() | (emp.s > emp.e.max().over(before) + 1), 1, 0
            )
        )
        running = ibis.cumulative_window(group_by=person, order_by=["s", "e"])
        numbered = flagged.mutate(_island=flagged._new.sum().over(running))
        islands = numbered.group_by([*person, "_island"]).aggregate(
            s=numbered.s.min(), i_s=numbered.s_p.min(), i_e=numbered.l_p.max()
        )
        previous = ibis.window(
            group_by=person, order_by="s"
        )  # islands of one person never share a first day
        return islands.mutate(prev_e=islands.i_e.lag().over(previous))

    def person_family(self, spans: tuple[int, ...]) -> ir.Table:
        """Persons employed in a window of ``span`` periods ending at each period, each once, for
        every span (one query): key, pidx, window (the span's position) and the running delta."""
        islands = self._islands()
        events = []
        for window, span in enumerate(spans):
            x = islands.cross_join(self.steps.view())
            shared = x.prev_e.notnull() & (x.i_s - x.prev_e < span)
            x = x.filter((x.k < 2) | shared)
            pidx = ibis.cases(
                (x.k == 0, x.i_s),
                (x.k == 1, x.i_e + span),
                (x.k == 2, x.i_s),
                else_=x.prev_e + span,
            )
            delta = ibis.ifelse((x.k == 0) | (x.k == 3), 1.0, -1.0)
            events.append(
                x.select(
                    x.key, pidx=pidx.cast("int32"), window=ibis.literal(window, "int8"), delta=delta
                )
            )
        events = ibis.union(*events)
        events = events.filter(events.pidx < len(self.input.periods))
        return events.group_by(["key", "pidx", "window"]).aggregate(delta=events.delta.sum())
