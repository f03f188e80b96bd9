"""Statistics engine benchmark (`make bench`): the Ibis engine on DuckDB against two baselines.

1. the naive pandas day-expansion reference (naervaer.stats.reference) at 100,000 employees × 5
   years — timed on a 10 % subsample of employees and scaled linearly (the day expansion of every
   employment does not fit comfortably in memory at full size); target: engine ≥ 8× faster;
2. hand-written DuckDB SQL over the same calendar design computing the same 17 summed unit × month
   measures as the engine (persons, possible workdays, employment days, lost workdays by kind, term,
   duration class and grading, spells, spell days; checked cell by cell against the engine's output);
   both start from the same validated tables (the SQL side's time includes turning dates into day
   numbers); target: engine overhead ≤ 1.3×;
3. the web app's case: 15,000 employees (~500 units), unit × month / quarter / four quarters with
   rollup, per compute call; target: well under 2 s;
4. the engine alone at 1,000,000 employees × 5 years in a child process; target: < 10 s, < 2 GB peak RSS;
5. the disclosure control's suppression pattern (``protection.pattern_for``: every breakdown, every
   quarter) for the web app's case, and how much of the unit × month grid it hides.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCALE_EMPLOYEES = 100_000
WEB_EMPLOYEES = 15_000
SUBSAMPLE = 10
BIG_EMPLOYEES = 1_000_000

HAND_SQL = """
WITH emp AS (
  SELECT e.*, c1.cum AS cs, c2.cum AS ce1 FROM employments e
  JOIN calendar c1 ON c1.day = GREATEST(LEAST(e.s, {hi}), {lo})
  JOIN calendar c2 ON c2.day = GREATEST(LEAST(e.e + 1, {hi}), {lo})),
ep AS (
  SELECT emp.unit_id, p.period, emp.employee_id,
         SUM(GREATEST(LEAST(emp.ce1, p.p_ce1) - GREATEST(emp.cs, p.p_cs), 0) * emp.pp / 100) AS possible,
         SUM(LEAST(emp.e, p.p_end) - GREATEST(emp.s, p.p_start) + 1) AS days
  FROM emp JOIN periods p ON emp.s <= p.p_end AND emp.e >= p.p_start
  GROUP BY ALL),
base AS (SELECT unit_id, period, COUNT(*) AS persons, SUM(possible) AS possible_workdays,
                SUM(days) AS employment_days FROM ep GROUP BY ALL),
pairs AS (
  SELECT emp.employment_id, emp.unit_id, emp.pp, a.kind, a.grade,
         GREATEST(a.a_s, emp.s) AS s, LEAST(a.a_e, emp.e) AS e
  FROM absences a JOIN emp ON a.a_employment = emp.employment_id
  UNION ALL
  SELECT emp.employment_id, emp.unit_id, emp.pp, a.kind, a.grade, GREATEST(a.a_s, emp.s), LEAST(a.a_e, emp.e)
  FROM absences a JOIN emp ON a.a_employment IS NULL AND a.a_employee = emp.employee_id),
chained AS (
  SELECT *, SUM(new_spell) OVER (PARTITION BY employment_id ORDER BY s) AS spell
  FROM (SELECT *, CASE WHEN s > LAG(e) OVER (PARTITION BY employment_id ORDER BY s) + 1
                       OR LAG(e) OVER (PARTITION BY employment_id ORDER BY s) IS NULL THEN 1 ELSE 0 END AS new_spell
        FROM pairs WHERE s <= e)),
spelled AS (
  SELECT *, MIN(s) OVER w AS spell_start, MAX(e) OVER w - MIN(s) OVER w + 1 AS length
  FROM chained WINDOW w AS (PARTITION BY employment_id, spell)),
rows AS (
  SELECT r.*, c1.cum AS cs, c2.cum AS ce1,
         CASE WHEN length <= 7 THEN 'A' WHEN length <= 16 THEN 'B' WHEN length <= 56 THEN 'C'
              WHEN length <= 140 THEN 'D' WHEN length <= 273 THEN 'E' ELSE 'F' END AS class
  FROM spelled r
  JOIN calendar c1 ON c1.day = GREATEST(LEAST(r.s, {hi}), {lo})
  JOIN calendar c2 ON c2.day = GREATEST(LEAST(r.e + 1, {hi}), {lo})),
lost AS (
  SELECT unit_id, period,
         SUM(l) AS lost_workdays,
         SUM(CASE WHEN kind = 0 THEN l ELSE 0 END) AS lost_self_certified,
         SUM(CASE WHEN kind = 1 THEN l ELSE 0 END) AS lost_doctor_certified,
         SUM(CASE WHEN length <= 16 THEN l ELSE 0 END) AS lost_short_term,
         SUM(CASE WHEN length > 16 THEN l ELSE 0 END) AS lost_long_term,
         SUM(CASE WHEN class = 'A' THEN l ELSE 0 END) AS lost_class_A,
         SUM(CASE WHEN class = 'B' THEN l ELSE 0 END) AS lost_class_B,
         SUM(CASE WHEN class = 'C' THEN l ELSE 0 END) AS lost_class_C,
         SUM(CASE WHEN class = 'D' THEN l ELSE 0 END) AS lost_class_D,
         SUM(CASE WHEN class = 'E' THEN l ELSE 0 END) AS lost_class_E,
         SUM(CASE WHEN class = 'F' THEN l ELSE 0 END) AS lost_class_F,
         SUM(CASE WHEN grade < 100 THEN l ELSE 0 END) AS lost_graded
  FROM (SELECT rows.*, p.period,
               GREATEST(LEAST(rows.ce1, p.p_ce1) - GREATEST(rows.cs, p.p_cs), 0) * pp * grade / 10000 AS l
        FROM rows JOIN periods p ON rows.s <= p.p_end AND rows.e >= p.p_start)
  GROUP BY ALL),
started AS (
  SELECT unit_id, period, COUNT(*) AS spells, SUM(length) AS spell_days
  FROM rows JOIN periods p ON rows.s = rows.spell_start AND rows.s BETWEEN p.p_start AND p.p_end
  GROUP BY ALL)
SELECT base.*, lost.* EXCLUDE (unit_id, period), COALESCE(started.spells, 0) AS spells,
       COALESCE(started.spell_days, 0) AS spell_days
FROM base LEFT JOIN lost USING (unit_id, period) LEFT JOIN started USING (unit_id, period)
"""


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _subsample(tables, every: int):
    """Every ``every``-th employee (demo ids are integers) with their employments and absences."""
    out = {}
    for name, table in tables.items():
        keep = "employee_id" in table.column_names
        out[name] = table.filter(table["employee_id"].to_numpy() % every == 0) if keep else table
    return out


def sql_input(tables):
    """The canonical tables as the SQL reads them: dates as day numbers, open ends closed at the
    calendar's end, kind as 0/1; the calendar (day, cum) and the months with their workday bounds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from naervaer.stats.calendar import Calendar, day_number
    from naervaer.stats.periods import build_periods, covering_range
    from naervaer.stats.schema import absence_span, date_span

    first, last = covering_range("month", *absence_span(tables))
    span_first, span_last = date_span(tables)
    calendar = Calendar(min(first, span_first), max(last, span_last))
    open_end = day_number(calendar.last) + 1
    emp, ab = tables["employments"], tables["absences"]
    employments = pa.table(
        {
            "employment_id": emp["employment_id"],
            "employee_id": emp["employee_id"],
            "unit_id": emp["unit_id"],
            "pp": emp["position_percent"],
            "s": pc.cast(emp["start_date"], pa.int32()),
            "e": pc.fill_null(pc.cast(emp["end_date"], pa.int32()), open_end),
        }
    )
    absences = pa.table(
        {
            "a_employee": ab["employee_id"],
            "a_employment": ab["employment_id"],
            "a_s": pc.cast(ab["start_date"], pa.int32()),
            "a_e": pc.cast(ab["end_date"], pa.int32()),
            "kind": pc.equal(ab["kind"], "doctor_certified").cast(pa.int8()),
            "grade": ab["grade_percent"],
        }
    )
    periods = build_periods("month", first, last)
    starts = [day_number(p.start) for p in periods]
    ends = [day_number(p.end) for p in periods]
    period_table = pa.table(
        {
            "period": [p.label for p in periods],
            "p_start": starts,
            "p_end": ends,
            "p_cs": [calendar.cum_before(d) for d in starts],
            "p_ce1": [calendar.cum_before(d + 1) for d in ends],
        }
    )
    return employments, absences, calendar, period_table, open_end


def hand_sql(tables):
    """Build the SQL's input, then run HAND_SQL; returns (input s, query s, result frame)."""
    import duckdb

    input_s, (employments, absences, calendar, periods, open_end) = _timed(
        lambda: sql_input(tables)
    )
    con = duckdb.connect()
    con.execute("SET nested_loop_join_threshold = 100000")
    for name, table in (
        ("employments", employments),
        ("absences", absences),
        ("calendar", calendar.table()),
        ("periods", periods),
    ):
        con.register(name, table)
    sql = HAND_SQL.format(lo=calendar.lo, hi=open_end)
    query_s, frame = _timed(lambda: con.execute(sql).df())
    return input_s, query_s, frame


def largest_difference(engine, sql) -> float:
    """Largest absolute difference between the engine's and the SQL's figures over all cells."""
    merged = engine.merge(
        sql, on=["unit_id", "period"], how="outer", suffixes=("", "_sql"), indicator=True
    )
    if not (merged["_merge"] == "both").all():
        raise AssertionError("engine and hand SQL disagree on which unit × month cells exist")
    measures = [c for c in sql.columns if c not in ("unit_id", "period")]
    return max(
        float((merged[c].astype(float) - merged[f"{c}_sql"].astype(float)).abs().max())
        for c in measures
    )


def web_case() -> None:
    """The insight page's calls: rollup over ~500 units, one call per period kind (warm connection)."""
    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.stats import compute, validate_tables

    tables = validate_tables(generate(DemoConfig(employees=WEB_EMPLOYEES, names=False)).canonical())
    compute(tables, by=("unit", "quarter"), rollup=True)  # warm-up: imports and first DuckDB start
    print(f"{WEB_EMPLOYEES:,} employees, {tables['units'].num_rows} units, rollup=True:")
    for period in ("month", "quarter", "rolling4q"):
        seconds, frame = _timed(lambda p=period: compute(tables, by=("unit", p), rollup=True))
        print(f"  unit × {period:<9} {seconds:6.2f} s  ({len(frame):,} cells)")
    pattern_case(tables)


def pattern_case(tables) -> None:
    """The suppression pattern once per data change, and what it hides of the unit × month grid."""
    from naervaer.stats import compute
    from naervaer.stats.protection import pattern_for
    from naervaer.stats.schema import absence_span

    seconds, pattern = _timed(lambda: pattern_for(tables, *absence_span(tables)))
    frame = compute(tables, by=("unit", "month"), rollup=True, pattern=pattern)
    primary = (frame["mask_reason"] == "fewer than 5 persons").mean()
    print(
        f"  suppression pattern {seconds:6.2f} s ({pattern.hidden.shape[0]} quarters × "
        f"{pattern.hidden.shape[1]} nodes × {pattern.hidden.shape[2]} categories); unit × month "
        f"cells hidden: {frame['masked'].mean():.1%} ({primary:.1%} under 5 persons)"
    )


def _peak_gib() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a
    child started from this (large) bench process would report the parent's size."""
    with open("/proc/self/status", encoding="ascii") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kib / 1024 / 1024


def child_big(folder: str) -> None:
    """Runs in a child: load, validate and compute 1 M employees; prints the load seconds, the
    compute seconds, the peak RSS after loading and the peak RSS at the end (GiB) and the cells."""
    from naervaer.stats import compute, load_input

    load_s, tables = _timed(lambda: load_input(folder))
    loaded = _peak_gib()
    seconds, frame = _timed(lambda: compute(tables, unmasked=True))
    print(f"{load_s:.2f} {seconds:.2f} {loaded:.2f} {_peak_gib():.2f} {len(frame)}")


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child_big(sys.argv[2])
        return 0
    from naervaer.demo.synth import DemoConfig, generate
    from naervaer.demo.tables import write_tables
    from naervaer.stats import compute, reference_unit_month, validate_tables

    tables = validate_tables(
        generate(DemoConfig(employees=SCALE_EMPLOYEES, names=False)).canonical()
    )
    print(
        f"{SCALE_EMPLOYEES:,} employees: {tables['employments'].num_rows:,} employments, "
        f"{tables['absences'].num_rows:,} absences"
    )
    sample = _subsample(tables, SUBSAMPLE)
    ref_s, _ = _timed(lambda: reference_unit_month(sample))
    ref_scaled = ref_s * SUBSAMPLE
    engine_s, engine_frame = _timed(lambda: compute(tables, unmasked=True))
    input_s, query_s, sql_frame = hand_sql(tables)
    sql_s = input_s + query_s
    print(f"engine (DuckDB, all indicators)       {engine_s:8.2f} s")
    print(
        f"naive reference, 1/{SUBSAMPLE} subsample      {ref_s:8.2f} s  → scaled ×{SUBSAMPLE}: {ref_scaled:.2f} s"
    )
    print(
        f"hand-written DuckDB SQL, same 17 sums {sql_s:8.2f} s  (input {input_s:.2f} s + query {query_s:.2f} s)"
    )
    print(
        f"largest engine − SQL difference over all cells and sums: {largest_difference(engine_frame, sql_frame):.2e}"
    )
    print(f"ratio reference / engine: {ref_scaled / engine_s:.2f}×  (target ≥ 8×)")
    print(f"ratio engine / hand SQL:  {engine_s / sql_s:.2f}×  (target ≤ 1.3×)")
    web_case()

    with tempfile.TemporaryDirectory() as folder:
        write_tables(
            generate(DemoConfig(employees=BIG_EMPLOYEES, names=False)).canonical(),
            Path(folder),
            "parquet",
        )
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--child", folder],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        return 1
    load_s, compute_s, loaded_gib, peak_gib, cells = out.stdout.split()
    print(
        f"{BIG_EMPLOYEES:,} employees ({int(cells):,} unit × month cells): load+validate {load_s} s, "
        f"compute {compute_s} s (target < 10 s), child wall {wall:.2f} s; peak RSS after loading "
        f"{loaded_gib} GiB, at the end {peak_gib} GiB (target < 2 GB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
