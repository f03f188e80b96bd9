"""Canonical input schema: reading the input folder and validating the four tables.

Everything the engine trusts is checked here, once, with a message that names the file, the row
and the column, so that a statistics office can fix its extract without reading code. The
documentation for users is docs/stats-input.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from naervaer.spreadsheet_text import restore_arrow
from naervaer.stats.calendar import day_numbers
from naervaer.stats.ordering import BLOCK, owner_day_keys, sort_order

KINDS = ("self_certified", "doctor_certified")
REQUIRED_TABLES = ("units", "employments", "absences")
OPTIONAL_TABLES = ("persons",)
SUFFIXES = (".parquet", ".csv", ".arrow", ".feather")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "id" | "date" | "number" | "text"
    nullable: bool = False


SCHEMA: dict[str, tuple[Column, ...]] = {
    "units": (
        Column("unit_id", "id"),
        Column("parent_id", "id", True),
        Column("name", "text", True),
    ),
    "employments": (
        Column("employment_id", "id"),
        Column("employee_id", "id"),
        Column("unit_id", "id"),
        Column("start_date", "date"),
        Column("end_date", "date", True),
        Column("position_percent", "number"),
        Column("occupation", "text", True),
    ),
    "absences": (
        Column("absence_id", "id"),
        Column("employee_id", "id"),
        Column("employment_id", "id", True),
        Column("start_date", "date"),
        Column("end_date", "date"),
        Column("kind", "text"),
        Column("grade_percent", "number"),
    ),
    "persons": (
        Column("employee_id", "id"),
        Column("birth_date", "date", True),
        Column("sex", "text", True),
    ),
}

# Columns that hold the same identifier and must therefore share one type.
ID_DOMAINS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("units", "unit_id"), ("units", "parent_id"), ("employments", "unit_id")),
    (("employments", "employee_id"), ("absences", "employee_id"), ("persons", "employee_id")),
    (("employments", "employment_id"), ("absences", "employment_id")),
    (("absences", "absence_id"),),
)


class InputError(ValueError):
    """Bad input, with a message naming the file, row (1-based data row) and column."""


def _where(
    sources: dict[str, str], table: str, row: int | None = None, column: str | None = None
) -> str:
    parts = [sources.get(table, table)]
    if row is not None:
        parts.append(f"row {row + 1}")
    if column is not None:
        parts.append(f"column {column}")
    return ", ".join(parts)


def _first(mask: pa.Array | np.ndarray) -> int:
    return int(np.flatnonzero(np.asarray(mask, dtype=bool))[0])


def read_table(path: Path) -> pa.Table:
    """Read one input file; CSV columns come in as text and are typed by validation.

    Parquet text columns are read dictionary-encoded: the absences' kind, two values over
    millions of rows, then takes 4 bytes a row instead of about 20.
    """
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        text = [c.name for c in SCHEMA.get(path.stem, ()) if c.kind == "text"]
        return pq.read_table(path, read_dictionary=text)
    if path.suffix == ".csv":
        import pyarrow.csv as pcsv

        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8-sig").strip().split(",")
        types = {name.strip(): pa.string() for name in header}
        return restore_arrow(
            pcsv.read_csv(
                path,
                convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=True),
            )
        )
    from pyarrow import feather

    return feather.read_table(path)


def _file_columns(path: Path, names: list[str]) -> Iterator[pa.ChunkedArray | None]:
    """The named columns of one input file in turn (None for one it lacks). Parquet is read column
    by column, other files are handed out a column at a time and dropped once taken, so a file is
    never in memory twice while it is typed."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        text = [c.name for c in SCHEMA.get(path.stem, ()) if c.kind == "text"]
        parquet = pq.ParquetFile(path, read_dictionary=text)
        present = set(parquet.schema_arrow.names)
        for name in names:
            yield parquet.read(columns=[name])[name] if name in present else None
        return
    table = read_table(path)
    for name in names:
        if name not in table.column_names:
            yield None
            continue
        column = table[name]
        table = table.drop_columns([name])
        yield column


def load_input(directory: str | Path) -> dict[str, pa.Table]:
    """Read and validate an input folder holding one file per table (units.parquet, absences.csv…)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(f"input folder {folder} does not exist")
    typed: dict[str, pa.Table] = {}
    sources: dict[str, str] = {}
    for name in REQUIRED_TABLES + OPTIONAL_TABLES:
        found = [
            folder / f"{name}{suffix}"
            for suffix in SUFFIXES
            if (folder / f"{name}{suffix}").exists()
        ]
        if not found:
            if name in REQUIRED_TABLES:
                raise InputError(
                    f"missing table {name!r}: expected {name}.parquet or {name}.csv in {folder}"
                )
            continue
        if len(found) > 1:
            raise InputError(f"table {name!r} given twice: {', '.join(p.name for p in found)}")
        sources[name] = found[0].name
        try:
            typed[name] = _typed_table(
                name, _file_columns(found[0], [c.name for c in SCHEMA[name]]), sources
            )
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{found[0].name}: cannot be read ({exc})") from exc
    validated = _checked(typed, sources)
    # Reading and checking leave hundreds of MB of freed buffers in Arrow's pool at 10 M rows;
    # hand them back so the engine starts from what the tables really hold.
    pa.default_memory_pool().release_unused()
    return validated


def _typed(
    values: pa.ChunkedArray, column: Column, where: Callable[[int | None], str]
) -> pa.ChunkedArray:
    """Convert one column to its canonical type, naming the first value that does not fit."""
    target = {"date": pa.date32(), "number": pa.float64(), "text": pa.string()}.get(column.kind)
    if column.kind == "id":
        if pa.types.is_integer(values.type) or pa.types.is_null(values.type):
            return values.cast(pa.int64())
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            return values.cast(pa.string())
        raise InputError(f"{where(None)}: identifiers must be integers or text, not {values.type}")
    if (
        column.kind == "text"
        and pa.types.is_dictionary(values.type)
        and pa.types.is_string(values.type.value_type)
    ):
        return values
    if column.kind == "date" and pa.types.is_timestamp(values.type):
        values = pc.cast(values, pa.date32())
    try:
        return values.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    expected = {"date": "a date (YYYY-MM-DD)", "number": "a number", "text": "text"}[column.kind]
    for index, value in enumerate(values.to_pylist()):
        if value is None:
            continue
        try:
            pa.array([value]).cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise InputError(f"{where(index)}: {value!r} is not {expected}") from None
    raise InputError(f"{where(None)}: type {values.type} cannot be read as {expected}")


def _unify_ids(tables: dict[str, pa.Table]) -> None:
    """Give every identifier domain one type: integers if all columns are integers, else text."""
    for domain in ID_DOMAINS:
        present = [(t, c) for t, c in domain if t in tables]
        if all(pa.types.is_integer(tables[t][c].type) for t, c in present):
            continue
        for t, c in present:
            index = tables[t].schema.get_field_index(c)
            tables[t] = tables[t].set_column(index, c, tables[t][c].cast(pa.string()))


def _check_unique(
    tables: dict[str, pa.Table], sources: dict[str, str], table: str, column: str
) -> None:
    values = tables[table][column]
    if pa.types.is_integer(values.type):  # a sort needs a fraction of a hash set's memory
        if _increasing(values):  # as extracts usually are: no sort needed
            return
        ordered = np.sort(values.to_numpy())
        if not (ordered[1:] == ordered[:-1]).any():
            return
    elif pc.count_distinct(values).as_py() == len(values):
        return
    seen: set[object] = set()
    for index, value in enumerate(values.to_pylist()):
        if value in seen:
            raise InputError(
                f"{_where(sources, table, index, column)}: duplicate identifier {value!r}"
            )
        seen.add(value)


def _increasing(values: pa.ChunkedArray) -> bool:
    """Strictly increasing integers, checked chunk by chunk without copying them."""
    previous = None
    for chunk in values.chunks:
        numbers = chunk.to_numpy()
        if len(numbers) and (
            (previous is not None and numbers[0] <= previous) or (numbers[1:] <= numbers[:-1]).any()
        ):
            return False
        previous = numbers[-1] if len(numbers) else previous
    return True


def _check_refs(
    tables: dict[str, pa.Table],
    sources: dict[str, str],
    table: str,
    column: str,
    target: str,
    target_column: str,
) -> pa.ChunkedArray:
    """Every value names a row of the target; returns the row each names (null where empty)."""
    values = tables[table][column]
    rows = pc.index_in(values, value_set=tables[target][target_column].combine_chunks())
    bad = pc.and_(pc.is_null(rows), pc.is_valid(values)).to_numpy(zero_copy_only=False)
    if bad.any():
        index = _first(bad)
        raise InputError(
            f"{_where(sources, table, index, column)}: {values[index].as_py()!r} "
            f"is not a {target_column} in {sources.get(target, target)}"
        )
    return rows


def _check_range(
    tables: dict[str, pa.Table],
    sources: dict[str, str],
    table: str,
    column: str,
    low: float,
    high: float,
    rule: str,
) -> None:
    values = tables[table][column].to_numpy(zero_copy_only=False)
    bad = ~((values >= low) & (values <= high))
    if bad.any():
        index = _first(bad)
        raise InputError(
            f"{_where(sources, table, index, column)}: {values[index]} is outside {rule}"
        )


def _check_order(tables: dict[str, pa.Table], sources: dict[str, str], table: str) -> None:
    start, end = tables[table]["start_date"], tables[table]["end_date"]
    bad = pc.fill_null(pc.less(end, start), False).to_numpy(zero_copy_only=False)
    if bad.any():
        index = _first(bad)
        raise InputError(
            f"{_where(sources, table, index, 'end_date')}: end {end[index]} is before "
            f"start {start[index]}"
        )


def kind_codes(kinds: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each row's kind as its index in KINDS (−1 for an unknown kind). A dictionary-encoded column
    is looked up once per distinct value: comparing it row by row would decode every string."""
    values = kinds.combine_chunks() if isinstance(kinds, pa.ChunkedArray) else kinds
    if pa.types.is_dictionary(values.type):
        codes = pc.fill_null(pc.index_in(values.dictionary, value_set=pa.array(KINDS)), -1)
        by_row: np.ndarray = codes.to_numpy(zero_copy_only=False).astype(np.int8)[
            values.indices.to_numpy(zero_copy_only=False)
        ]
        return by_row
    plain: np.ndarray = (
        pc.fill_null(pc.index_in(values, value_set=pa.array(KINDS)), -1)
        .to_numpy(zero_copy_only=False)
        .astype(np.int8)
    )
    return plain


def _check_absences(tables: dict[str, pa.Table], sources: dict[str, str]) -> None:
    absences = tables["absences"]
    kinds = kind_codes(absences["kind"])
    if (kinds < 0).any():
        index = _first(kinds < 0)
        raise InputError(
            f"{_where(sources, 'absences', index, 'kind')}: unknown kind "
            f"{absences['kind'][index].as_py()!r} (expected one of {', '.join(KINDS)})"
        )
    _check_range(tables, sources, "absences", "grade_percent", 1, 100, "1–100")
    bad = (kinds == KINDS.index("self_certified")) & (absences["grade_percent"].to_numpy() != 100.0)
    if bad.any():
        index = _first(bad)
        raise InputError(
            f"{_where(sources, 'absences', index, 'grade_percent')}: a self-certified "
            "absence has grade 100"
        )
    rows = _check_refs(tables, sources, "absences", "employment_id", "employments", "employment_id")
    _check_owner(tables, sources, rows)
    _check_overlaps(tables, sources)


def _check_owner(
    tables: dict[str, pa.Table], sources: dict[str, str], lookup: pa.ChunkedArray
) -> None:
    """An absence tied to an employment (its row in ``lookup``) must belong to that employment's employee."""
    absences, employments = tables["absences"], tables["employments"]
    employee, owners = absences["employee_id"], employments["employee_id"].combine_chunks()
    rows = pc.fill_null(lookup, -1).combine_chunks()
    for first in range(0, len(rows), BLOCK):  # block by block: the temporaries stay small and warm
        block = rows.slice(first, BLOCK).to_numpy(zero_copy_only=False)
        tied = block >= 0
        owner = pc.take(owners, pa.array(np.where(tied, block, 0)))
        bad = pc.and_(pc.not_equal(owner, employee.slice(first, BLOCK)), pa.array(tied)).to_numpy(
            zero_copy_only=False
        )
        if bad.any():
            index = first + _first(bad)
            raise InputError(
                f"{_where(sources, 'absences', index, 'employee_id')}: employment "
                f"{absences['employment_id'][index].as_py()!r} belongs to employee "
                f"{owner[index - first].as_py()!r}, not {employee[index].as_py()!r}"
            )


def _first_overlap(
    owners: pa.Array | pa.ChunkedArray,
    start: np.ndarray,
    end: np.ndarray,
    later: np.ndarray | None = None,
    earlier: np.ndarray | None = None,
) -> tuple[int, int] | None:
    """Positions (row, earlier row) of the first overlap among rows of one owner, or None.

    Rows are taken in (owner, start) order; a row overlaps an earlier row of its owner when it
    starts on or before the latest end among them. Only rows where ``later`` holds are checked,
    against earlier rows where ``earlier`` holds (all when None).
    """
    key, _span = owner_day_keys(owners, start, end)
    order = sort_order(key)
    key = key if order is None else key[order]
    last = key + (
        (end - start) if order is None else (end - start)[order]
    )  # the same owner's last day
    if earlier is not None:
        last[~(earlier if order is None else earlier[order])] = -1
    latest = np.maximum.accumulate(last)
    bad = key[1:] <= latest[:-1]
    if later is not None:
        bad &= (later if order is None else later[order])[1:]
    if not bad.any():
        return None
    at = _first(bad) + 1
    other = int(np.argmax(last[:at]))  # the earlier row ending latest: it reaches this row's start
    return (at, other) if order is None else (int(order[at]), int(order[other]))


def _check_overlaps(tables: dict[str, pa.Table], sources: dict[str, str]) -> None:
    """Absences of one employee that apply to the same employment — or where either has no
    employment_id, and so applies to all of them — must not overlap (DOMAIN §4)."""
    absences = tables["absences"]
    start, end = day_numbers(absences["start_date"]), day_numbers(absences["end_date"])
    employment = absences["employment_id"]
    missing = pc.is_null(employment).to_numpy(zero_copy_only=False)
    explicit = ~missing
    found = None
    if explicit.sum() > 1:  # within one employment
        rows = np.flatnonzero(explicit) if missing.any() else None
        found = (
            _first_overlap(employment, start, end)
            if rows is None
            else _first_overlap(employment.take(rows), start[rows], end[rows])
        )
        if found is not None and rows is not None:
            found = (int(rows[found[0]]), int(rows[found[1]]))
        what = "of the same employment"
    if found is None and missing.any():  # an absence without employment against any of the person's
        found = _first_overlap(
            absences["employee_id"], start, end, earlier=missing
        ) or _first_overlap(absences["employee_id"], start, end, later=missing)
        what = "of the same employee (an absence without employment_id applies to all their employments)"
    if found is not None:
        row, other = found
        raise InputError(
            f"{_where(sources, 'absences', row, 'start_date')}: overlaps the absence in row "
            f"{other + 1} {what}"
        )


def _check_tree(tables: dict[str, pa.Table], sources: dict[str, str]) -> None:
    parents = dict(
        zip(
            tables["units"]["unit_id"].to_pylist(),
            tables["units"]["parent_id"].to_pylist(),
            strict=True,
        )
    )
    for index, unit in enumerate(parents):
        seen, node = {unit}, parents[unit]
        while node is not None:
            if node in seen:
                raise InputError(
                    f"{_where(sources, 'units', index, 'parent_id')}: unit {unit!r} is its own "
                    "ancestor (cycle in the unit tree)"
                )
            seen.add(node)
            node = parents.get(node)


def _typed_table(
    name: str, columns: Iterator[pa.ChunkedArray | None], sources: dict[str, str]
) -> pa.Table:
    """One table with canonical column types; ``columns`` yields the raw columns in schema order.
    Dates and numbers come in one chunk, so the engine views them without copying (it reads them
    row by row); copying every column would touch the table's memory twice."""
    arrays = []
    for column, raw in zip(SCHEMA[name], columns, strict=True):
        if raw is None:
            raise InputError(f"{_where(sources, name)}: missing column {column.name!r}")
        values = _typed(raw, column, partial(_where, sources, name, column=column.name))
        del raw
        if not column.nullable and values.null_count:
            index = _first(pc.is_null(values).to_numpy(zero_copy_only=False))
            raise InputError(f"{_where(sources, name, index, column.name)}: value is missing")
        arrays.append(values.combine_chunks() if column.kind in ("date", "number") else values)
    return pa.table(arrays, names=[c.name for c in SCHEMA[name]])


def _checked(typed: dict[str, pa.Table], sources: dict[str, str]) -> dict[str, pa.Table]:
    _unify_ids(typed)
    for table, column in (
        ("units", "unit_id"),
        ("employments", "employment_id"),
        ("absences", "absence_id"),
    ):
        _check_unique(typed, sources, table, column)
    if "persons" in typed:
        _check_unique(typed, sources, "persons", "employee_id")
    _check_refs(typed, sources, "units", "parent_id", "units", "unit_id")
    _check_tree(typed, sources)
    _check_refs(typed, sources, "employments", "unit_id", "units", "unit_id")
    _check_range(typed, sources, "employments", "position_percent", 0, 100, "0–100")
    _check_order(typed, sources, "employments")
    _check_order(typed, sources, "absences")
    _check_absences(typed, sources)
    return typed


def validate_tables(
    tables: dict[str, pa.Table], sources: dict[str, str] | None = None
) -> dict[str, pa.Table]:
    """Check the canonical tables and return them with canonical column types.

    ``sources`` maps table names to file names for the messages. Raises InputError on the first
    problem found. Extra columns are dropped; a column that is entirely empty is valid when the
    column is nullable.
    """
    sources = dict(sources or {})
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise InputError(f"missing table {missing[0]!r}")
    typed = {
        name: _typed_table(
            name,
            (
                tables[name][c.name] if c.name in tables[name].column_names else None
                for c in columns
            ),
            sources,
        )
        for name, columns in SCHEMA.items()
        if name in tables
    }
    return _checked(typed, sources)


def date_span(tables: dict[str, pa.Table]) -> tuple[dt.date, dt.date]:
    """Earliest and latest date in the employments and absences (used to size the calendar)."""
    values: list[dt.date] = []
    for table in ("employments", "absences"):
        for column in ("start_date", "end_date"):
            bounds = pc.min_max(tables[table][column])
            values.extend(
                v for v in (bounds["min"].as_py(), bounds["max"].as_py()) if v is not None
            )
    if not values:
        raise InputError("no dates: employments and absences are empty")
    return min(values), max(values)


def absence_span(tables: dict[str, pa.Table]) -> tuple[dt.date, dt.date]:
    """The default statistics range: earliest absence start to latest absence end.

    Falls back to the employment dates when there are no absences.
    """
    absences = tables["absences"]
    if len(absences):
        return pc.min(absences["start_date"]).as_py(), pc.max(absences["end_date"]).as_py()
    return date_span(tables)
