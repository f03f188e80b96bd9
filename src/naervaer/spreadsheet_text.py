"""Text cells that a spreadsheet shows but never runs (OWASP's advice on CSV injection).

Every CSV and XLSX the system writes goes through here: a name like ``=HYPERLINK(…)`` typed into
the register must reach HR's Excel as text, not as a live formula. In CSV a text cell that starts
with ``=``, ``+``, ``-``, ``@``, tab or carriage return (and is not a number such as ``-3,5``) gets
a leading single quote; a text cell that itself starts with a quote gets one more, so that
:func:`restore` gives back exactly what was exported and a re-import changes nothing. In XLSX the
cell is written as a string (never a formula), so no quote is needed there.

Pure Python (no Django) so that ``stats/`` may use it too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

QUOTE = "'"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
# The same rule for Arrow's regex kernel (RE2): quote-or-trigger first, and not a number.
ARROW_FLAGGED = r"^['=+\-@\t\r]"
ARROW_NUMBER = r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$"


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (or it starts with our quote)."""
    if not text:
        return False
    if text.startswith(QUOTE):
        return True
    return text.startswith(TRIGGERS) and NUMBER.fullmatch(text) is None


def inert(value: Any) -> Any:
    """The CSV cell for a value: risky text quoted, everything else unchanged."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert(value) for value in values]


def restore(text: str) -> str:
    """The text an :func:`inert` cell stood for (imports undo the quote so files round-trip)."""
    if text.startswith(QUOTE) and needs_quote(text[1:]):
        return text[1:]
    return text


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas frame with every text column made inert (for ``DataFrame.to_csv`` writers)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind not in "biufcmM":  # text, categorical or Arrow strings
            out[column] = out[column].astype(object).map(inert)
    return out


def inert_arrow(table: pa.Table) -> pa.Table:
    """An Arrow table with every string column made inert (for ``pyarrow.csv`` writers)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            flagged = pc.and_(
                pc.match_substring_regex(column, ARROW_FLAGGED),
                pc.invert(pc.match_substring_regex(column, ARROW_NUMBER)),
            )
            columns.append(
                pc.if_else(flagged, pc.binary_join_element_wise(QUOTE, column, ""), column)
            )
        else:
            columns.append(column)
    return pa.table(columns, names=table.column_names)


def restore_arrow(table: pa.Table) -> pa.Table:
    """An Arrow table read from CSV with every :func:`inert` quote undone (see :func:`restore`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            rest = pc.utf8_slice_codeunits(column, 1)
            quoted = pc.and_(
                pc.starts_with(column, QUOTE),
                pc.and_(
                    pc.match_substring_regex(rest, ARROW_FLAGGED),
                    pc.invert(pc.match_substring_regex(rest, ARROW_NUMBER)),
                ),
            )
            columns.append(pc.if_else(quoted, rest, column))
        else:
            columns.append(column)
    return pa.table(columns, names=table.column_names)


def csv_problem(error: csv.Error) -> str:
    """What a ``csv.Error`` means, for people (``_csv.Error: field larger than field limit``)."""
    if "field limit" in str(error):
        return (
            f"a cell is longer than {csv.field_size_limit():,} characters "
            "(is a quotation mark left open?)"
        )
    return f"not readable as CSV ({error})"


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for ``sheet.append``: text always as a string cell, so Excel never runs it."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells
