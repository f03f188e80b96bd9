"""The relational part of the engine in Ibis — the same expressions on DuckDB and Spark.

What needs joins, windows or distinct counting is done here; what is only a lookup or adding up
is not (``families`` looks up the employment an absence names and ``accumulate`` adds up, in
numpy, batch by batch, into the dense grid). The relations return compact rows:
- ``implicit_pairs``: absences without employment_id, each paired with every employment of the
  person it overlaps, as (arow, erow) row numbers;
- ``chained_pairs``: absences another absence of the person touches (flagged in prepare), with
  the first and last day of the spell they belong to, from windows over the employment's chained
  absences;
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

    def __init__(self, backend: Any, engine_input: EngineInput, by_unit: bool, rollup: bool) -> None:
        self.backend, self.input = backend, engine_input
        self.by_unit, self.rollup = by_unit, rollup
        self.employments = ibis.memtable(engine_input.employments)
        self.absences = ibis.memtable(engine_input.absences)
        self.closure = ibis.memtable(engine_input.closure)
        self.steps = ibis.memtable(STEPS)

    def _resolved(self, ab: ir.Table, explicit: bool) -> ir.Table:
        """Absences joined to the employment rows they apply to and cut to them: arow, erow,
        employment_id, s, e. ``explicit`` adds the absences naming their employment."""
        emp = self.employments
        implicit_ab = ab.filter(ab.a_employment.isnull())
        implicit_emp = emp.view()
        joined = [implicit_ab.join(implicit_emp, implicit_ab.a_employee == implicit_emp.employee_id)]
        if explicit:
            explicit_emp = emp.view()
            joined.append(ab.join(explicit_emp, ab.a_employment == explicit_emp.employment_id))
        rows = ibis.union(*[j.select(j.arow, j.erow, j.employment_id, s=ibis.greatest(j.a_s, j.s),
                                     e=ibis.least(j.a_e, j.e)) for j in joined])
        return rows.filter(rows.s <= rows.e)

    def _kept(self, rows: ir.Table, in_range: bool) -> ir.Table:
        if in_range:
            rows = rows.filter((rows.s <= self.input.range_hi) & (rows.e >= self.input.range_lo))
        return rows.drop("employment_id", "s", "e")

    def implicit_pairs(self, in_range: bool = True) -> ir.Table:
        """Absences without employment_id (and touching no other) paired with every employment row
        of the person they overlap: arow, erow. ``in_range`` keeps the pairs that reach into the
        statistics range."""
        ab = self.absences.filter(~self.absences.touching)
        return self._kept(self._resolved(ab, explicit=False), in_range)

    def chained_pairs(self, in_range: bool = True) -> ir.Table:
        """Absences touching another, paired with the employment rows they apply to, with the first
        and last day of the spell they belong to: arow, erow, spell_start, spell_end."""
        ab = self.absences.filter(self.absences.touching)
        return self._kept(self._spells(self._resolved(ab, explicit=True)), in_range)

    @staticmethod
    def _spells(rows: ir.Table) -> ir.Table:
        """First and last day of the spell of every chained absence (validation rejects overlapping
        absences of one employment, so their starts are unique in it)."""
        order = ibis.window(group_by="employment_id", order_by="s")
        previous_end, next_start = rows.e.lag().over(order), rows.s.lead().over(order)
        rows = rows.mutate(_first=previous_end.isnull() | (rows.s > previous_end + 1),
                           _last=next_start.isnull() | (next_start > rows.e + 1))
        before = ibis.window(group_by="employment_id", order_by="s", rows=(None, 0))
        after = ibis.window(group_by="employment_id", order_by="s", rows=(0, None))
        return rows.mutate(spell_start=ibis.ifelse(rows._first, rows.s, None).max().over(before),
                           spell_end=ibis.ifelse(rows._last, rows.e, None).min().over(after)).drop("_first", "_last")

    def _keyed(self) -> ir.Table:
        """Employments in the range with their group key (unit code × width + breakdown code),
        once per unit above them as well with rollup."""
        emp = self.employments
        emp = emp.filter((emp.s <= self.input.range_hi) & (emp.e >= self.input.range_lo))
        width = self.input.groups.width
        if self.rollup:
            closure = self.closure.view()
            joined = emp.join(closure, emp.unit_id == closure.unit_id)
            emp = joined.select(*[joined[c] for c in emp.columns if c != "unit_id"], unit_id=closure.ancestor)
        unit = emp.unit_id.cast("int64") if self.by_unit else ibis.literal(0, "int64")
        return emp.select("employee_id", "s", "e", "s_p", "l_p", key=unit * width + emp.b)

    def _islands(self) -> ir.Table:
        """Merged employment of one person in one group: first and last period, and the previous
        island's last period."""
        emp = self._keyed()
        person = ["employee_id", "key"]
        before = ibis.window(group_by=person, order_by=["s", "e"], rows=(None, -1))
        flagged = emp.mutate(_new=ibis.ifelse(emp.e.max().over(before).isnull()
                                              | (emp.s > emp.e.max().over(before) + 1), 1, 0))
        running = ibis.cumulative_window(group_by=person, order_by=["s", "e"])
        numbered = flagged.mutate(_island=flagged._new.sum().over(running))
        islands = numbered.group_by([*person, "_island"]).aggregate(
            s=numbered.s.min(), i_s=numbered.s_p.min(), i_e=numbered.l_p.max())
        previous = ibis.window(group_by=person, order_by="s")   # islands of one person never share a first day
        return islands.mutate(prev_e=islands.i_e.lag().over(previous))

    def person_family(self, span: int) -> ir.Table:
        """Persons employed in a window of ``span`` periods ending at each period, each once:
        key, pidx and the running delta to add there."""
        islands = self._islands()
        steps = self.steps.view()
        x = islands.cross_join(steps)
        shared = x.prev_e.notnull() & (x.i_s - x.prev_e < span)
        x = x.filter((x.k < 2) | shared)
        pidx = ibis.cases((x.k == 0, x.i_s), (x.k == 1, x.i_e + span), (x.k == 2, x.i_s), else_=x.prev_e + span)
        delta = ibis.ifelse((x.k == 0) | (x.k == 3), 1.0, -1.0)
        events = x.select(x.key, pidx=pidx.cast("int32"), delta=delta)
        events = events.filter(events.pidx < len(self.input.periods))
        return events.group_by(["key", "pidx"]).aggregate(delta=events.delta.sum())
