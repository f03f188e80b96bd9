"""The register as the canonical statistics tables (docs/stats-input.md), for ``naervaer.stats``.

Every insight page that misses the cache starts here, so it must be fast: the ORM writes one narrow
query per table, the rows come straight off the database cursor (no model instances, no per-row
ORM converters), and the splitting at position changes is done on whole numpy columns.
Mapping decisions:

- units: every unit of the organisation (unit_id = Unit id).
- employments: one canonical row per *position period*, because the canonical schema has one
  position percent per employment: an employment whose percent changed is split at each change.
  ``employment_id`` is the PositionChange id of the period (unique, stable across snapshots);
  ``occupation`` and ``unit_id`` come from the employment. Employments with no position
  percent registered are left out (they have no possible workdays to count).
- absences: self-certifications → ``self_certified``, grade 100; sick-note periods of type full,
  graded and active sick leave → ``doctor_certified`` with their grade. Awaiting sick notes,
  treatment days and travel grants are *not* lost workdays (the person works or is paid
  otherwise) and are left out; so are holidays and leave. An absence that spans a position
  change is split at the change so each piece belongs to its position period (the statistics then
  see two adjoining pieces of one spell); parts outside every position period are dropped.
  ``absence_id`` numbers the rows of this snapshot (self-certifications first, each kind by
  employment and start).
- persons: employee_id, birth_date, sex of the organisation's employees.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import FloatField, QuerySet, Value
from django.db.models.functions import Cast

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.org.models import Employee, Organisation, PositionChange, Unit

LOST_WORKDAY_NOTE_TYPES = (
    SickNotePeriod.NoteType.FULL,
    SickNotePeriod.NoteType.GRADED,
    SickNotePeriod.NoteType.ACTIVE_SICK_LEAVE,
)
KINDS = pa.array(["self_certified", "doctor_certified"])
OPEN_END = np.iinfo(np.int32).max  # stands for "no end date" in day arithmetic
DAY_BITS = 32  # an (employment, day) pair sorts as one int64: employment << 32 | day + 2**31

SCHEMAS = {
    "units": pa.schema([("unit_id", pa.int64()), ("parent_id", pa.int64()), ("name", pa.string())]),
    "employments": pa.schema(
        [
            ("employment_id", pa.int64()),
            ("employee_id", pa.int64()),
            ("unit_id", pa.int64()),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("position_percent", pa.float64()),
            ("occupation", pa.string()),
        ]
    ),
    "absences": pa.schema(
        [
            ("absence_id", pa.int64()),
            ("employee_id", pa.int64()),
            ("employment_id", pa.int64()),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("kind", pa.string()),
            ("grade_percent", pa.float64()),
        ]
    ),
    "persons": pa.schema(
        [("employee_id", pa.int64()), ("birth_date", pa.date32()), ("sex", pa.string())]
    ),
}


def _columns(queryset: QuerySet, types: list[pa.DataType]) -> list[pa.Array]:
    """The ``values_list`` queryset's columns as Arrow arrays, read off the cursor in one fetch.

    The ORM only writes the SQL: its per-row iterator costs more than the query for 10⁵ rows.
    Date columns arrive as ``datetime.date`` on every backend (Django's SQLite connection parses
    declared date columns; psycopg does it natively). The cyclic garbage collector is paused
    meanwhile: the 10⁶ row objects (which cannot form cycles) would otherwise set off several full
    collections over the whole process heap, which cost more than the fetch itself.
    """
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    collecting = gc.isenabled()
    gc.disable()
    try:
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in types]
        return [pa.array(column, type=kind) for column, kind in zip(columns, types, strict=True)]
    finally:
        if collecting:
            gc.enable()


def _days(dates: pa.Array) -> np.ndarray:
    """Days since 1970 as int32, missing dates as ``OPEN_END``."""
    return pc.fill_null(dates.cast(pa.int32()), OPEN_END).to_numpy()


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days, pa.int32(), mask=days == OPEN_END).cast(pa.date32())


def _sort_key(employment: np.ndarray, days: np.ndarray) -> np.ndarray:
    return (employment.astype(np.int64) << DAY_BITS) + (days.astype(np.int64) + 2**31)


@dataclass(frozen=True)
class _Periods:
    """The canonical employments table plus, per row, the register employment and the period's
    first and last day (``OPEN_END`` when open) for cutting absences."""

    table: pa.Table
    employment: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _position_periods(organisation: Organisation) -> _Periods:
    """One row per position change, clipped to its employment; periods wholly outside it are dropped."""
    period_id, employment, employee, unit, start, end, occupation, valid_from, percent = _columns(
        PositionChange.objects.filter(employment__organisation=organisation)
        .order_by("employment_id", "valid_from")
        .values_list(
            "id",
            "employment_id",
            "employment__employee_id",
            "employment__unit_id",
            "employment__start_date",
            "employment__end_date",
            "employment__occupation",
            "valid_from",
            Cast("position_percent", FloatField()),
        ),
        [
            pa.int64(),
            pa.int64(),
            pa.int64(),
            pa.int64(),
            pa.date32(),
            pa.date32(),
            pa.string(),
            pa.date32(),
            pa.float64(),
        ],
    )
    employment_ids = employment.to_numpy()
    valid_days = _days(valid_from)
    period_start = np.maximum(valid_days, _days(start))
    next_change = np.full_like(valid_days, OPEN_END)
    same_employment = employment_ids[1:] == employment_ids[:-1]
    next_change[:-1][same_employment] = valid_days[1:][same_employment] - 1
    period_end = np.minimum(next_change, _days(end))
    keep = period_end >= period_start
    occupation = pc.if_else(pc.equal(occupation, ""), pa.scalar(None, pa.string()), occupation)
    table = pa.table(
        [period_id, employee, unit, _dates(period_start), _dates(period_end), percent, occupation],
        schema=SCHEMAS["employments"],
    ).filter(keep)
    return _Periods(table, employment_ids[keep], period_start[keep], period_end[keep])


def _lost_workday_absences(
    organisation: Organisation,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array, pa.Array]:
    """Employment, start and end days, kind and grade of every absence that counts as lost workdays,
    self-certifications first, each kind by employment and start (sorted here: cheaper than in SQL)."""
    fields = ("employment_id", "start_date", "end_date")
    types = [pa.int64(), pa.date32(), pa.date32(), pa.float64()]
    sources = [
        _columns(
            SelfCertification.objects.filter(organisation=organisation)
            .order_by()
            .values_list(*fields, Cast(Value(100), FloatField())),
            types,
        ),
        _columns(
            SickNotePeriod.objects.filter(
                organisation=organisation, note_type__in=LOST_WORKDAY_NOTE_TYPES
            )
            .order_by()
            .values_list(*fields, Cast("grade", FloatField())),
            types,
        ),
    ]
    employment = np.concatenate([columns[0].to_numpy() for columns in sources])
    start = np.concatenate([_days(columns[1]) for columns in sources])
    end = np.concatenate([_days(columns[2]) for columns in sources])
    kind = np.repeat(np.arange(len(sources)), [len(columns[0]) for columns in sources])
    order = np.lexsort((end, start, employment, kind))
    grade = pa.concat_arrays([columns[3] for columns in sources]).take(order)
    return employment[order], start[order], end[order], KINDS.take(kind[order]), grade


def _split_absences(organisation: Organisation, periods: _Periods) -> pa.Table:
    """Every absence cut into its pieces inside the position periods of its employment.

    Periods are sorted by (employment, start) and adjoin within an employment, so the periods an
    absence touches are one contiguous run: from the last period starting on or before the
    absence's start (or the employment's first) to the last one starting on or before its end.
    """
    employment, start, end, kind, grade = _lost_workday_absences(organisation)
    period_keys = _sort_key(periods.employment, periods.start)
    employment_first = np.searchsorted(periods.employment, employment, side="left")
    first = np.maximum(
        np.searchsorted(period_keys, _sort_key(employment, start), side="right") - 1,
        employment_first,
    )
    stop = np.searchsorted(period_keys, _sort_key(employment, end), side="right")
    counts = np.maximum(stop - first, 0)
    absence = np.repeat(np.arange(len(employment)), counts)
    period = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    piece_start = np.maximum(start[absence], periods.start[period])
    piece_end = np.minimum(end[absence], periods.end[period])
    kept = piece_start <= piece_end
    absence, period = absence[kept], period[kept]
    return pa.table(
        [
            pa.array(np.arange(1, len(absence) + 1)),
            periods.table["employee_id"].take(period),
            periods.table["employment_id"].take(period),
            _dates(piece_start[kept]),
            _dates(piece_end[kept]),
            kind.take(absence),
            grade.take(absence),
        ],
        schema=SCHEMAS["absences"],
    )


def canonical_tables(organisation: Organisation) -> dict[str, pa.Table]:
    """units, employments, absences and persons of the organisation, typed as the statistics engine expects."""
    periods = _position_periods(organisation)
    return {
        "units": pa.table(
            _columns(
                Unit.objects.filter(organisation=organisation).values_list(
                    "id", "parent_id", "name"
                ),
                list(SCHEMAS["units"].types),
            ),
            schema=SCHEMAS["units"],
        ),
        "employments": periods.table,
        "absences": _split_absences(organisation, periods),
        "persons": pa.table(
            _columns(
                Employee.objects.filter(organisation=organisation).values_list(
                    "id", "birth_date", "sex"
                ),
                list(SCHEMAS["persons"].types),
            ),
            schema=SCHEMAS["persons"],
        ),
    }
