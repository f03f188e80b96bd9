"""Unit × month × stratum panels built straight from the canonical input tables with DuckDB SQL.

The evaluation needs, per unit, month and composition stratum (occupation, sex, age band): possible
and lost workdays (DOMAIN.md §9), graded lost workdays, employment-years, spells starting in the
month with their whole calendar length and their paid days beyond day 16. The stats engine does not
offer a stratified panel with spell durations, so it is computed here in the most direct way: one SQL
statement over a calendar table with cumulative workday and weekday counts (the equi-join trick of
ARCHITECTURE.md §4).

Conventions (documented in docs/evaluation.md): a spell is a run of absence records of one employment
with no day between them; it is counted in the month it starts, with its whole length; paid days are
weekdays (public holidays not excluded, DOMAIN.md §7) from day 17 of the spell. Employment-years count
each employment (two concurrent employments count twice), as absences do.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from naervaer.stats.calendar import workday_flags
from naervaer.stats.evaluation.indicators import PANEL_MEASURES, STRATA

AGE_BANDS = (
    (0, 30, "<30"),
    (30, 40, "30-39"),
    (40, 50, "40-49"),
    (50, 60, "50-59"),
    (60, 200, "60+"),
)
UNKNOWN = "unknown"


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from the month of ``first`` to the month of ``last``."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def workday_calendar(first: dt.date, last: dt.date) -> pd.DataFrame:
    """Per date: workdays (the engine's Mon–Fri minus Norwegian public holidays) and weekdays strictly before it."""
    days = pd.date_range(first, last, freq="D")
    weekday = days.day_of_week < 5
    work = workday_flags(first, last)
    return pd.DataFrame(
        {
            "d": days.date,
            "cum_work": np.concatenate([[0], np.cumsum(work)[:-1]]).astype("int64"),
            "cum_week": np.concatenate([[0], np.cumsum(weekday)[:-1]]).astype("int64"),
        }
    )


_PANEL_SQL = """
WITH emp AS (
    SELECT employment_id, employee_id, unit_id, start_date,
           coalesce(end_date, DATE '9999-12-31') AS end_date, position_percent,
           coalesce(CAST(occupation AS VARCHAR), '{unknown}') AS occupation
    FROM employments
),
emp_month AS (
    SELECT e.*, m.month_start,
           greatest(e.start_date, m.month_start) AS a, least(e.end_date, m.month_end) AS b
    FROM emp e JOIN months m ON e.start_date <= m.month_end AND e.end_date >= m.month_start
),
strata AS (
    SELECT em.employment_id, em.month_start, em.occupation,
           coalesce(CAST(p.sex AS VARCHAR), '{unknown}') AS sex,
           CASE WHEN p.birth_date IS NULL THEN '{unknown}' {age_cases} END AS age_band
    FROM emp_month em LEFT JOIN persons p ON p.employee_id = em.employee_id
),
absence_emp AS (   -- absence records tied to an employment and clipped to it and to the window
    SELECT e.employment_id, e.unit_id, e.position_percent, a.grade_percent,
           greatest(a.start_date, e.start_date) AS s, least(a.end_date, e.end_date) AS t
    FROM absences a JOIN emp e
      ON (a.employment_id = e.employment_id)
      OR (a.employment_id IS NULL AND a.employee_id = e.employee_id
          AND a.start_date <= e.end_date AND a.end_date >= e.start_date)
    WHERE greatest(a.start_date, e.start_date) <= least(a.end_date, e.end_date)
),
flagged AS (
    SELECT *, CASE WHEN s > max(t) OVER (PARTITION BY employment_id ORDER BY s, t
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   OR row_number() OVER (PARTITION BY employment_id ORDER BY s, t) = 1
              THEN 1 ELSE 0 END AS new_spell
    FROM absence_emp
),
numbered AS (
    SELECT *, sum(new_spell) OVER (PARTITION BY employment_id ORDER BY s, t ROWS UNBOUNDED PRECEDING) AS spell_no
    FROM flagged
),
spells AS (
    SELECT employment_id, min(s) AS s, max(t) AS t FROM numbered GROUP BY employment_id, spell_no
),
spell_rows AS (
    SELECT em.unit_id, date_trunc('month', sp.s)::DATE AS month_start, sp.employment_id,
           1 AS spells, (sp.t - sp.s + 1) AS spell_days,
           CASE WHEN sp.t >= sp.s + 16 THEN c2.cum_week - c1.cum_week ELSE 0 END AS paid_days
    FROM spells sp
    JOIN emp_month em ON em.employment_id = sp.employment_id AND em.month_start = date_trunc('month', sp.s)::DATE
    JOIN calendar c1 ON c1.d = least(sp.s + 16, sp.t + 1)
    JOIN calendar c2 ON c2.d = sp.t + 1
    WHERE sp.s >= {window_start} AND sp.s <= {window_end}
),
lost_rows AS (
    SELECT em.unit_id, em.month_start, em.employment_id,
           (c2.cum_work - c1.cum_work) * ab.position_percent * ab.grade_percent / 10000.0 AS lost,
           CASE WHEN ab.grade_percent < 100
                THEN (c2.cum_work - c1.cum_work) * ab.position_percent * ab.grade_percent / 10000.0
                ELSE 0 END AS lost_graded
    FROM absence_emp ab
    JOIN emp_month em ON em.employment_id = ab.employment_id AND ab.s <= em.b AND ab.t >= em.a
    JOIN calendar c1 ON c1.d = greatest(ab.s, em.a)
    JOIN calendar c2 ON c2.d = least(ab.t, em.b) + 1
),
exposure_rows AS (
    SELECT em.unit_id, em.month_start, em.employment_id,
           (c2.cum_work - c1.cum_work) * em.position_percent / 100.0 AS possible,
           (em.b - em.a + 1) / 365.25 AS employee_years
    FROM emp_month em
    JOIN calendar c1 ON c1.d = em.a
    JOIN calendar c2 ON c2.d = em.b + 1
),
all_rows AS (
    SELECT unit_id, month_start, employment_id, possible, employee_years,
           0.0 AS lost, 0.0 AS lost_graded, 0 AS spells, 0 AS spell_days, 0 AS paid_days FROM exposure_rows
    UNION ALL
    SELECT unit_id, month_start, employment_id, 0.0, 0.0, lost, lost_graded, 0, 0, 0 FROM lost_rows
    UNION ALL
    SELECT unit_id, month_start, employment_id, 0.0, 0.0, 0.0, 0.0, spells, spell_days, paid_days FROM spell_rows
)
SELECT r.unit_id, r.month_start AS month, st.occupation, st.sex, st.age_band,
       sum(possible) AS possible, sum(lost) AS lost, sum(lost_graded) AS lost_graded,
       sum(employee_years) AS employee_years, sum(spells)::DOUBLE AS spells,
       sum(spell_days)::DOUBLE AS spell_days, sum(paid_days)::DOUBLE AS paid_days
FROM all_rows r JOIN strata st ON st.employment_id = r.employment_id AND st.month_start = r.month_start
GROUP BY ALL
"""

_PERSONS_SQL = """
SELECT DISTINCT e.unit_id, m.month_start AS month, e.employee_id
FROM employments e JOIN months m
  ON e.start_date <= m.month_end AND coalesce(e.end_date, DATE '9999-12-31') >= m.month_start
"""


def _age_cases() -> str:
    age = (
        "date_diff('year', p.birth_date, em.month_start) - CASE WHEN strftime(em.month_start, '%m-%d') < "
        "strftime(p.birth_date, '%m-%d') THEN 1 ELSE 0 END"
    )
    return " ".join(f"WHEN {age} < {high} THEN '{label}'" for _, high, label in AGE_BANDS)


def _connection(
    tables: dict[str, pa.Table], first: dt.date, last: dt.date
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ("units", "employments", "absences"):
        con.register(name, tables[name])
    persons = tables.get("persons")
    if persons is None:
        persons = pa.table(
            {
                "employee_id": pa.array([], pa.int64()),
                "birth_date": pa.array([], pa.date32()),
                "sex": pa.array([], pa.string()),
            }
        )
    con.register("persons", persons)
    months = month_starts(first, last)
    ends = [(m + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) for m in months]
    con.register("months", pd.DataFrame({"month_start": months, "month_end": ends}))
    absences = tables["absences"]
    earliest = min(first, pc.min(absences.column("start_date")).as_py() or first)
    latest = max(ends[-1], pc.max(absences.column("end_date")).as_py() or ends[-1])
    con.register("calendar", workday_calendar(earliest, latest + dt.timedelta(days=2)))
    return con


def _date_literal(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def build_panel(tables: dict[str, pa.Table], first: dt.date, last: dt.date) -> pd.DataFrame:
    """The raw panel by employment unit, month (first day) and stratum for the months from ``first`` to ``last``.

    Spells that start before the window are not counted (their lost workdays inside it are); a spell
    starting inside the window keeps its whole length even when it runs past ``last``.
    """
    window_end = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    con = _connection(tables, first, last)
    sql = _PANEL_SQL.format(
        unknown=UNKNOWN,
        age_cases=_age_cases(),
        window_start=_date_literal(first.replace(day=1)),
        window_end=_date_literal(window_end),
    )
    panel = con.execute(sql).df()
    panel["month"] = pd.to_datetime(panel["month"]).dt.date
    for col in PANEL_MEASURES:
        panel[col] = panel[col].astype("float64")
    return panel[["unit_id", "month", *STRATA, *PANEL_MEASURES]]


def person_months(tables: dict[str, pa.Table], first: dt.date, last: dt.date) -> pd.DataFrame:
    """Distinct (unit, month, employee) rows: the headcounts behind the masking rule (DOMAIN.md §9)."""
    frame = _connection(tables, first, last).execute(_PERSONS_SQL).df()
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame
