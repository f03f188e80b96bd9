"""The indicator expressions in Ibis — the same on DuckDB and Spark, equi-joins only.

Nothing is expanded into days or into one row per period. Every interval (an employment, an
absence, a person's stretch of employment in a unit) contributes
- to the period holding its first day: the part of the interval inside that period,
- to the period holding its last day: the part inside that one (when it is another period),
- to the periods strictly between: a full period each, written as +w one period after the start
  and −w at the end and summed up by a running sum over the dense group × period grid.
Workdays use the calendar's cumulative count (workdays in [a, b] = cum(b + 1) − cum(a)); calendar
days use the day numbers themselves. Persons are counted from islands (merged employments of one
person in one group): +1 where an island starts, −1 after it ends, and −1 for a period shared by
two consecutive islands of the same person, so each person counts once per period.

Definitions (docs/stats-input.md has the long form):
- an absence without employment_id applies to every employment of the employee covering the day;
- a spell is a run of absences of one employment where each starts at most one day after the
  previous ends; its length (calendar days, whole spell even across period bounds) decides short
  vs long term and the duration class; it is counted in the period where it starts;
- employment days (for spells per employee-year) are calendar days of employment in the period.
"""

from __future__ import annotations

import uuid
from typing import Any

import ibis
import ibis.expr.types as ir

from naervaer.stats.prepare import EngineInput

# Duration classes (DOMAIN §9) by upper bound in calendar days; F is everything longer.
DURATION_CLASSES = (("A", 7), ("B", 16), ("C", 56), ("D", 140), ("E", 273))
CLASS_NAMES = (*(c for c, _ in DURATION_CLASSES), "F")
SHORT_TERM_CLASSES = ("A", "B")   # 1–16 calendar days
SHORT_TERM_DAYS = 16
LOST_COLUMNS = ("lost_workdays", "lost_self_certified", "lost_doctor_certified", "lost_short_term",
                "lost_long_term", *(f"lost_class_{c}" for c in CLASS_NAMES), "lost_graded")
# Measure → what a full period contributes per unit of weight: workdays, calendar days or 1.
MEASURES = {"persons": "count", "persons_window": "count", "possible_workdays": "workdays",
            "employment_days": "days", **{c: "workdays" for c in LOST_COLUMNS}, "spells": "count",
            "spell_days": "count"}
# Lost workdays are summed per category code first: kind (0 self-certified, 1 doctor-certified)
# × 12 + duration class (0–5 for A–F) × 2 + graded (0/1); the split by measure comes afterwards.
KINDS = ("self_certified", "doctor_certified")


def category(kind: ir.StringValue, length: ir.IntegerValue, grade: ir.NumericValue) -> ir.IntegerValue:
    """The category code of an absence row (see KINDS)."""
    dclass = ibis.cases(*[(length <= upper, i) for i, (_, upper) in enumerate(DURATION_CLASSES)],
                        else_=len(DURATION_CLASSES))
    return ibis.ifelse(kind == KINDS[0], 0, 12) + dclass * 2 + ibis.ifelse(grade < 100, 1, 0)


def lost_split(code: ir.IntegerValue, value: ir.Value) -> dict[str, ir.Value]:
    """The lost-workday measures as conditional sums of ``value`` over rows with category ``code``."""
    zero = ibis.literal(0.0)
    dclass = (code % 12) // 2

    def total(condition: ir.BooleanValue | None = None) -> ir.Value:
        return (value if condition is None else ibis.ifelse(condition, value, zero)).sum()

    short = dclass < len(SHORT_TERM_CLASSES)
    return {
        "lost_workdays": total(), "lost_self_certified": total(code < 12),
        "lost_doctor_certified": total(code >= 12), "lost_short_term": total(short),
        "lost_long_term": total(~short), **{f"lost_class_{c}": total(dclass == i) for i, c in enumerate(CLASS_NAMES)},
        "lost_graded": total(code % 2 == 1),
    }


def _union(parts: list[ir.Table]) -> ir.Table:
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


class Engine:
    """Builds and runs the group × period panel for one engine input on one Ibis backend."""

    def __init__(self, backend: Any, engine_input: EngineInput, by_unit: bool, rollup: bool,
                 breakdown: str | None, window: int = 1) -> None:
        self.backend, self.input = backend, engine_input
        self.by_unit, self.rollup, self.breakdown, self.window = by_unit, rollup, breakdown, window
        self.keys = (["unit_id"] if by_unit else []) + ([breakdown] if breakdown else [])
        self.employments = ibis.memtable(engine_input.employments)
        self.absences = ibis.memtable(engine_input.absences)
        self.closure = ibis.memtable(engine_input.closure)
        self.calendar = ibis.memtable(engine_input.calendar_table)
        self.periods = ibis.memtable(engine_input.period_table)

    def _stage(self, expr: ir.Table) -> ir.Table:
        """Materialise an intermediate table that later steps read several times (DuckDB: a
        temporary table; Spark: a cached temporary view, as Ibis has no temporary Spark tables)."""
        name = f"naervaer_stats_{uuid.uuid4().hex}"
        if self.backend.name == "pyspark":
            view = self.backend.create_view(name, expr)
            self.backend._session.table(name).cache()
            return view
        return self.backend.create_table(name, expr, temp=True)

    def lookup(self, table: ir.Table, day: ir.Value, **columns: str) -> ir.Table:
        """Add calendar columns (cum, cum_incl, pidx) at ``day`` under new names."""
        keyed = table.mutate(_day=day)
        cal = self.calendar.view()
        joined = keyed.join(cal, keyed._day == cal.day)
        return joined.select(*[joined[c] for c in table.columns], **{new: cal[old] for new, old in columns.items()})

    def _clipped(self, table: ir.Table) -> ir.Table:
        """Intervals cut to the statistics range, with cum and period index at both ends."""
        lo, hi = self.input.range_lo, self.input.range_hi
        table = table.mutate(rs=ibis.greatest(table.s, lo), re=ibis.least(table.e, hi))
        table = table.filter(table.rs <= table.re)
        table = self.lookup(table, table.rs, cs="cum", i_s="pidx")
        return self.lookup(table, table.re, ce1="cum_incl", i_e="pidx")

    def _rolled(self, table: ir.Table) -> ir.Table:
        """Attribute rows to every unit above their own as well (roll-up of the unit tree)."""
        if not self.rollup:
            return table
        closure = self.closure.view()
        joined = table.join(closure, table.unit_id == closure.unit_id)
        return joined.select(*[joined[c] for c in table.columns if c != "unit_id"], unit_id=closure.ancestor)

    def _resolved(self, absences: ir.Table) -> ir.Table:
        """Absences joined to the employments they apply to and cut to them."""
        emp = self.employments
        explicit_emp = emp.view()
        explicit = absences.join(explicit_emp, absences.a_employment == explicit_emp.employment_id)
        implicit_ab = absences.filter(absences.a_employment.isnull())
        implicit_emp = emp.view()
        implicit = implicit_ab.join(implicit_emp, implicit_ab.a_employee == implicit_emp.employee_id)
        columns = [c for c in emp.columns if c not in ("s", "e")]

        def resolved(j: ir.Table) -> ir.Table:
            return j.select(*[j[c] for c in columns], j.absence_id, j.kind, j.grade,
                            s=ibis.greatest(j.a_s, j.s), e=ibis.least(j.a_e, j.e))

        pairs = resolved(explicit).union(resolved(implicit))
        return pairs.filter(pairs.s <= pairs.e)

    def spell_rows(self) -> ir.Table:
        """Absences resolved to the employments they apply to, cut to them, with their spell's
        first and last day and length.

        An absence no other absence of the person touches is a spell by itself; only the others
        (flagged in prepare) go through the windows that chain adjacent absences.
        """
        ab = self.absences
        alone = self._resolved(ab.filter(~ab.touching))
        chained = self._resolved(ab.filter(ab.touching))
        # Validation rejects overlapping absences of one employment, so starts are unique in it.
        order = ibis.window(group_by="employment_id", order_by="s")
        previous_end, next_start = chained.e.lag().over(order), chained.s.lead().over(order)
        chained = chained.mutate(_first=previous_end.isnull() | (chained.s > previous_end + 1),
                                 _last=next_start.isnull() | (next_start > chained.e + 1))
        before = ibis.window(group_by="employment_id", order_by="s", rows=(None, 0))
        after = ibis.window(group_by="employment_id", order_by="s", rows=(0, None))
        chained = chained.mutate(spell_start=ibis.ifelse(chained._first, chained.s, None).max().over(before),
                                 spell_end=ibis.ifelse(chained._last, chained.e, None).min().over(after))
        rows = alone.mutate(spell_start=alone.s, spell_end=alone.e).union(chained.drop("_first", "_last"))
        rows = rows.mutate(length=rows.spell_end - rows.spell_start + 1)
        return rows.mutate(code=category(rows.kind, rows.length, rows.grade))

    def _islands(self, emp: ir.Table) -> ir.Table:
        """Merged employment of one person in one group, with the previous island's last period."""
        person = ["employee_id", *self.keys]
        before = ibis.window(group_by=person, order_by=["s", "e"], rows=(None, -1))
        flagged = emp.mutate(_new=ibis.ifelse(emp.e.max().over(before).isnull()
                                              | (emp.s > emp.e.max().over(before) + 1), 1, 0))
        running = ibis.cumulative_window(group_by=person, order_by=["s", "e"])
        numbered = flagged.mutate(_island=flagged._new.sum().over(running))
        islands = numbered.group_by([*person, "_island"]).aggregate(s=numbered.s.min(), e=numbered.e.max())
        islands = self._clipped(islands)
        previous = ibis.window(group_by=person, order_by="s")
        return islands.mutate(prev_e=islands.i_e.lag().over(previous))

    def _part(self, table: ir.Table, pidx: ir.Value, values: dict[str, ir.Value], measures: list[str],
              extra: tuple[str, ...] = ()) -> ir.Table:
        """One contribution: keys, extra columns, pidx and ``<measure>__part``/``__delta`` columns."""
        columns = {f"{m}__{k}": ibis.literal(0.0) for m in measures for k in ("part", "delta")}
        columns.update({name: v.cast("float64") for name, v in values.items()})
        return table.select(*[table[k] for k in (*self.keys, *extra)], pidx=pidx.cast("int64"), **columns)

    def _interval(self, table: ir.Table, weights: dict[str, str], axis: str,
                  extra: tuple[str, ...] = ()) -> list[ir.Table]:
        """Contributions of weighted intervals (see the module docstring) on the workday or day axis.

        ``weights`` maps measure names to a column (or 1 for "") of ``table`` holding the weight.
        """
        lo, hi = ("cs", "ce1") if axis == "workdays" else ("rs", "re")
        p_lo, p_hi = ("p_cs", "p_ce1") if axis == "workdays" else ("p_start", "p_end")
        plus = 0 if axis == "workdays" else 1   # calendar days: [rs, re] holds re - rs + 1 days
        measures = list(weights)

        def weight(t: ir.Table, column: str) -> ir.Value:
            return t[column] if column else ibis.literal(1.0)

        parts = []
        for at, first in (("i_s", True), ("i_e", False)):
            rows = table if first else table.filter(table.i_e > table.i_s)
            per = self.periods.view()
            joined = rows.join(per, rows[at] == per.pidx)
            upper = ibis.least(joined[hi], joined[p_hi]) if first else joined[hi]
            length = upper - ibis.greatest(joined[lo], joined[p_lo]) + plus
            values = {f"{m}__part": weight(joined, c) * length for m, c in weights.items()}
            parts.append(self._part(joined, joined[at], values, measures, extra))
        middle = table.filter(table.i_e > table.i_s + 1)
        parts.append(self._part(middle, middle.i_s + 1, {f"{m}__delta": weight(middle, c) for m, c in weights.items()},
                                measures, extra))
        parts.append(self._part(middle, middle.i_e, {f"{m}__delta": -weight(middle, c) for m, c in weights.items()},
                                measures, extra))
        return parts

    def _person_parts(self, islands: ir.Table, measure: str, span: int) -> list[ir.Table]:
        """Islands overlapping a window of ``span`` periods ending at each period, each person once."""
        one, minus = ibis.literal(1.0), ibis.literal(-1.0)
        name = f"{measure}__delta"
        shared = islands.filter(islands.prev_e.notnull() & (islands.i_s - islands.prev_e < span))
        return [self._part(islands, islands.i_s, {name: one}, [measure]),
                self._part(islands, islands.i_e + span, {name: minus}, [measure]),
                self._part(shared, shared.i_s, {name: minus}, [measure]),
                self._part(shared, shared.prev_e + span, {name: one}, [measure])]

    def _summed(self, parts: list[ir.Table]) -> ir.Table:
        union = _union(parts)
        return union.group_by([*self.keys, "pidx"]).aggregate(
            **{c: union[c].sum() for c in union.columns if "__" in c})

    def _lost(self, rows: ir.Table) -> ir.Table:
        """Lost workdays per group × period, summed per category first and split afterwards."""
        rows = rows.mutate(_w=rows.pp * rows.grade / 10_000)
        union = _union(self._interval(rows, {"lost": "_w"}, "workdays", ("code",)))
        small = union.group_by([*self.keys, "pidx", "code"]).aggregate(
            lost__part=union.lost__part.sum(), lost__delta=union.lost__delta.sum())
        split = {f"{m}__{k}": v for k in ("part", "delta")
                 for m, v in lost_split(small.code, small[f"lost__{k}"]).items()}
        return small.group_by([*self.keys, "pidx"]).aggregate(**split)

    def panel(self) -> ir.Table:
        """One row per group × period with persons (persons_window: over the last ``window``
        periods), possible and lost workdays by kind, term and class, spells and spell days."""
        emp = self._stage(self._clipped(self._rolled(self.employments)))
        spell_rows = self.spell_rows()
        needed = [*self.keys, "pp", "grade", "code", "s", "e", "spell_start", "length"]
        rows = self._stage(self._clipped(self._rolled(spell_rows).select(*needed)))
        islands = self._stage(self._islands(self._rolled(self.employments)))
        people = self._person_parts(islands, "persons", 1)
        if self.window > 1:
            people = [p.mutate(persons_window__part=0.0, persons_window__delta=0.0) for p in people]
            people += [p.mutate(persons__part=0.0, persons__delta=0.0).select(people[0].columns)
                       for p in self._person_parts(islands, "persons_window", self.window)]
        # A spell is counted in the period of its first day, through the row that starts it.
        starts = rows.filter((rows.s == rows.spell_start) & (rows.spell_start >= self.input.range_lo))
        families = [
            self._summed(self._interval(emp, {"possible_workdays": "pp"}, "workdays")),
            self._summed(self._interval(emp, {"employment_days": ""}, "days")),
            self._lost(rows),
            self._summed(people),
            self._summed([self._part(starts, starts.i_s, {"spells__part": ibis.literal(1.0),
                                                          "spell_days__part": starts.length},
                                     ["spells", "spell_days"])]),
        ]
        groups = emp.select(*self.keys).distinct() if self.keys else None
        per = self.periods.view()
        grid = groups.cross_join(per) if groups is not None else per
        for family in families:
            fam = family.view()
            joined = grid.left_join(fam, [grid[k] == fam[k] for k in [*self.keys, "pidx"]])
            grid = joined.select(*[joined[c] for c in grid.columns], *[fam[c] for c in family.columns if "__" in c])
        running = ibis.cumulative_window(group_by=self.keys, order_by="pidx")
        full = {"count": ibis.literal(1), "workdays": grid.p_ce1 - grid.p_cs, "days": grid.p_end - grid.p_start + 1}
        values = {}
        for measure, axis in MEASURES.items():
            if f"{measure}__part" not in grid.columns:
                continue
            value = (grid[f"{measure}__part"].fill_null(0)
                     + grid[f"{measure}__delta"].fill_null(0).sum().over(running) * full[axis])
            values[measure] = value if axis == "workdays" else value.round().cast("int64")
        values["possible_workdays"] = values["possible_workdays"] / 100
        panel = grid.select(*[grid[k] for k in self.keys], grid.pidx, grid.period, **values)
        if self.window == 1:
            return panel.mutate(persons_window=panel.persons).filter(panel.persons > 0)
        return panel.filter((panel.persons > 0) | (panel.persons_window > 0))

    def run(self) -> Any:
        """Execute the panel; returns a pandas DataFrame."""
        return self.backend.execute(self.panel())
