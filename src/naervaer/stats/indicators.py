"""The indicator expressions in Ibis — the same on DuckDB and Spark, equi-joins only.

Nothing is expanded into days or into one row per period. Every interval (an employment, an
absence cut to an employment) becomes at most two *events*, one at each boundary (its first day,
and the day after its last; see ``prepare.Boundaries``):
- both boundaries in one period: one event there with the interval's own length as ``part``;
- otherwise a start event (``part`` −offset of the first day in its period, ``delta`` +1) and an
  end event (``part`` +offset of the day after the last, ``delta`` −1) — a running sum of the
  deltas over the periods, times each period's full length, adds the whole periods in between
  and the rest of the first one.
Each family of measures is one grouped query returning sparse group × period sums; ``grid``
turns them into dense arrays and does the running sums. Calendar days use day offsets,
workdays the workday offsets; a weight (position %, grade %) multiplies both.
Persons are counted from islands (merged employments of one person in one group): +1 in the
island's first period, −1 after its last, and −1 for a period shared by two consecutive islands
of the same person, so each person counts once per period.

Definitions (docs/stats-input.md has the long form):
- an absence without employment_id applies to every employment of the employee covering the day;
- a spell is a run of absences of one employment where each starts at most one day after the
  previous ends; its length (calendar days, whole spell even across period bounds) decides short
  vs long term and the duration class; it is counted in the period where it starts;
- employment days (for spells per employee-year) are calendar days of employment in the period.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from naervaer.stats.prepare import EngineInput

# Duration classes (DOMAIN §9) by upper bound in calendar days; F is everything longer.
DURATION_CLASSES = (("A", 7), ("B", 16), ("C", 56), ("D", 140), ("E", 273))
CLASS_NAMES = (*(c for c, _ in DURATION_CLASSES), "F")
SHORT_TERM_CLASSES = ("A", "B")   # 1–16 calendar days
SHORT_TERM_DAYS = 16
LOST_COLUMNS = ("lost_workdays", "lost_self_certified", "lost_doctor_certified", "lost_short_term",
                "lost_long_term", *(f"lost_class_{c}" for c in CLASS_NAMES), "lost_graded")
# Measure → what a whole period adds per unit of running delta: its workdays, its days or 1.
MEASURES = {"persons": "count", "persons_window": "count", "possible_workdays": "workdays",
            "employment_days": "days", **{c: "workdays" for c in LOST_COLUMNS}, "spells": "count",
            "spell_days": "count"}
# Lost workdays are summed per category code first: kind (0 self-certified, 1 doctor-certified)
# × 12 + duration class (0–5 for A–F) × 2 + graded (0/1); the split by measure comes afterwards.
KINDS = ("self_certified", "doctor_certified")
# Event steps: 0 start boundary, 1 end boundary; persons add 2 and 3 (see ``_person_events``).
STEPS = pa.table({"k": pa.array([0, 1, 2, 3], pa.int8())})


def category(kind: ir.IntegerValue, length: ir.IntegerValue, grade: ir.NumericValue) -> ir.IntegerValue:
    """The category code of an absence row (see KINDS); ``kind`` is 0 or 1."""
    dclass = ibis.cases(*[(length <= upper, i) for i, (_, upper) in enumerate(DURATION_CLASSES)],
                        else_=len(DURATION_CLASSES))
    return (kind.cast("int8") * 12 + dclass * 2 + ibis.ifelse(grade < 100, 1, 0)).cast("int8")


def lost_conditions(code: Any) -> dict[str, Any]:
    """Which category codes each lost-workday measure sums (None: all of them). Operators only, so
    it works on Ibis columns and on numpy codes alike."""
    kind, dclass, graded = code // 12, (code % 12) // 2, code % 2
    short = dclass < len(SHORT_TERM_CLASSES)
    return {
        "lost_workdays": None, "lost_self_certified": kind == 0, "lost_doctor_certified": kind == 1,
        "lost_short_term": short, "lost_long_term": ~short,
        **{f"lost_class_{c}": dclass == i for i, c in enumerate(CLASS_NAMES)}, "lost_graded": graded == 1,
    }


def lost_split(code: ir.IntegerValue, value: ir.Value) -> dict[str, ir.Value]:
    """The lost-workday measures as conditional sums of ``value`` over rows with category ``code``."""
    zero = ibis.literal(0.0)
    return {name: (value if condition is None else ibis.ifelse(condition, value, zero)).sum()
            for name, condition in lost_conditions(code).items()}


class Engine:
    """Builds and runs the measure families of one engine input on one Ibis backend."""

    def __init__(self, backend: Any, engine_input: EngineInput, by_unit: bool, rollup: bool,
                 breakdown: str | None, window: int = 1) -> None:
        self.backend, self.input = backend, engine_input
        self.by_unit, self.rollup, self.breakdown, self.window = by_unit, rollup, breakdown, window
        self.keys = (["unit_id"] if by_unit else []) + ([breakdown] if breakdown else [])
        self.employments = ibis.memtable(engine_input.employments)
        self.absences = ibis.memtable(engine_input.absences)
        self.closure = ibis.memtable(engine_input.closure)
        self.calendar = ibis.memtable(engine_input.calendar_table)
        self.steps = ibis.memtable(STEPS)

    def lookup(self, table: ir.Table, day: ir.Value, **columns: str) -> ir.Table:
        """Add calendar columns (cum, cum_incl) at ``day`` under new names."""
        keyed = table.mutate(_day=day)
        cal = self.calendar.view()
        joined = keyed.join(cal, keyed._day == cal.day)
        return joined.select(*[joined[c] for c in table.columns], **{new: cal[old] for new, old in columns.items()})

    def _in_range(self, table: ir.Table) -> ir.Table:
        return table.filter((table.s <= self.input.range_hi) & (table.e >= self.input.range_lo))

    def _rolled(self, table: ir.Table) -> ir.Table:
        """Attribute rows to every unit above their own as well (roll-up of the unit tree)."""
        if not self.rollup:
            return table
        closure = self.closure.view()
        joined = table.join(closure, table.unit_id == closure.unit_id)
        return joined.select(*[joined[c] for c in table.columns if c != "unit_id"], unit_id=closure.ancestor)

    def _resolved(self, absences: ir.Table) -> ir.Table:
        """Absences joined to the employments they apply to and cut to them (days and boundaries)."""
        emp = self.employments
        explicit_emp = emp.view()
        explicit = absences.join(explicit_emp, absences.a_employment == explicit_emp.employment_id)
        implicit_ab = absences.filter(absences.a_employment.isnull())
        implicit_emp = emp.view()
        implicit = implicit_ab.join(implicit_emp, implicit_ab.a_employee == implicit_emp.employee_id)
        columns = ["employment_id", "employee_id", "unit_id", "pp", *([self.breakdown] if self.breakdown else [])]

        def resolved(j: ir.Table) -> ir.Table:
            # Periods grow with the day, so the later start's period is the greater one (and the
            # earlier end's the lesser); offsets within a period do not, so they follow the day.
            return j.select(*[j[c] for c in columns], j.absence_id, j.kind, j.grade,
                            s=ibis.greatest(j.a_s, j.s), e=ibis.least(j.a_e, j.e),
                            s_p=ibis.greatest(j.a_s_p, j.s_p), s_w=ibis.ifelse(j.a_s >= j.s, j.a_s_w, j.s_w),
                            t_p=ibis.least(j.a_t_p, j.t_p), t_w=ibis.ifelse(j.a_e <= j.e, j.a_t_w, j.t_w))

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

    def _events(self, table: ir.Table, weights: dict[str, tuple[str, str]], extra: tuple[str, ...] = (),
                at_start: dict[str, str] | None = None) -> ir.Table:
        """Intervals → events (see the module docstring) with ``<measure>__part``/``__delta`` columns.

        ``weights`` maps a measure to (weight column or "" for 1, offset axis "w" or "d");
        ``at_start`` maps a measure to a column counted once, in the period the interval starts.
        """
        steps = self.steps.view()
        x = table.cross_join(steps.filter(steps.k < 2))
        x = x.filter((x.k == 0) | (x.s_p != x.t_p))
        same, start = x.s_p == x.t_p, x.k == 0
        columns: dict[str, ir.Value] = {}
        for measure, (weight, axis) in weights.items():
            w = x[weight] if weight else ibis.literal(1.0)
            s_off, t_off = x[f"s_{axis}"].cast("float64"), x[f"t_{axis}"].cast("float64")
            columns[f"{measure}__part"] = w * ibis.ifelse(same, t_off - s_off, ibis.ifelse(start, -s_off, t_off))
            columns[f"{measure}__delta"] = w * ibis.ifelse(same, 0.0, ibis.ifelse(start, 1.0, -1.0))
        for measure, column in (at_start or {}).items():
            columns[f"{measure}__part"] = ibis.ifelse(start, x[column].cast("float64"), 0.0)
        events = x.select(*[x[k] for k in (*self.keys, *extra)], pidx=ibis.ifelse(start, x.s_p, x.t_p).cast("int16"),
                          **columns)
        return events.filter(events.pidx < len(self.input.periods))

    def _summed(self, events: ir.Table) -> ir.Table:
        return events.group_by([*self.keys, "pidx"]).aggregate(
            **{c: events[c].sum() for c in events.columns if "__" in c})

    def employment_family(self) -> ir.Table:
        """Possible workdays (× position %) and employment days per group × period."""
        emp = self._in_range(self._rolled(self.employments))
        return self._summed(self._events(emp, {"possible_workdays": ("pp", "w"), "employment_days": ("", "d")}))

    def lost_family(self) -> ir.Table:
        """Lost workdays, spells and spell days per group × period × category code (``grid`` splits
        the codes into the lost-workday measures: one conditional sum per measure over millions of
        rows costs more in the backend than the numpy split of the grouped rows)."""
        rows = self._in_range(self._rolled(self.spell_rows()))
        starts_spell = (rows.s == rows.spell_start) & (rows.spell_start >= self.input.range_lo)
        rows = rows.mutate(_w=rows.pp * rows.grade / 10_000, _spell=ibis.ifelse(starts_spell, 1, 0),
                           _spell_days=ibis.ifelse(starts_spell, rows.length, 0))
        events = self._events(rows, {"lost": ("_w", "w")}, ("code",), {"spells": "_spell", "spell_days": "_spell_days"})
        return events.group_by([*self.keys, "pidx", "code"]).aggregate(
            **{c: events[c].sum() for c in events.columns if "__" in c})

    def _islands(self) -> ir.Table:
        """Merged employment of one person in one group: first and last period, and the previous
        island's last period."""
        emp = self._in_range(self._rolled(self.employments))
        person = ["employee_id", *self.keys]
        before = ibis.window(group_by=person, order_by=["s", "e"], rows=(None, -1))
        flagged = emp.mutate(_new=ibis.ifelse(emp.e.max().over(before).isnull()
                                              | (emp.s > emp.e.max().over(before) + 1), 1, 0))
        running = ibis.cumulative_window(group_by=person, order_by=["s", "e"])
        numbered = flagged.mutate(_island=flagged._new.sum().over(running))
        islands = numbered.group_by([*person, "_island"]).aggregate(
            s=numbered.s.min(), i_s=numbered.s_p.min(), i_e=numbered.l_p.max())
        previous = ibis.window(group_by=person, order_by="s")   # islands of one person never share a first day
        return islands.mutate(prev_e=islands.i_e.lag().over(previous))

    def person_family(self, measure: str, span: int) -> ir.Table:
        """Persons employed in a window of ``span`` periods ending at each period, each once."""
        islands = self._islands()
        steps = self.steps.view()
        x = islands.cross_join(steps)
        shared = x.prev_e.notnull() & (x.i_s - x.prev_e < span)
        x = x.filter((x.k < 2) | shared)
        pidx = ibis.cases((x.k == 0, x.i_s), (x.k == 1, x.i_e + span), (x.k == 2, x.i_s), else_=x.prev_e + span)
        delta = ibis.ifelse((x.k == 0) | (x.k == 3), 1.0, -1.0)
        events = x.select(*[x[k] for k in self.keys], pidx=pidx.cast("int32"), **{f"{measure}__delta": delta})
        return self._summed(events.filter(events.pidx < len(self.input.periods)))

    def families(self) -> list[pa.Table]:
        """The sparse sums of every measure family, executed one query each (as Arrow: no pandas copy)."""
        expressions = [self.employment_family(), self.lost_family(), self.person_family("persons", 1)]
        if self.window > 1:
            expressions.append(self.person_family("persons_window", self.window))
        return [self.backend.to_pyarrow(expr) for expr in expressions]
