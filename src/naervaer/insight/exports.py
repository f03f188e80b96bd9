"""CSV, XLSX and the printable monthly PDF — all written from ``tables.Table``.

A masked row is written with its keys and the mask reason only: its figure cells are empty
whatever the row holds, so no export can carry a masked cell's numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from naervaer.insight.tables import Table, format_value
from naervaer.spreadsheet_text import inert_row, xlsx_row

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _cells(table: Table, row: dict) -> list[object]:
    values = []
    for column in table.columns:
        value = row.get(column.key)
        values.append(None if row.get("masked") and column.kind != "text" else value)
    return [*values, row.get("mask_reason") or ""]


def _header(table: Table) -> list[str]:
    return [str(column.label) for column in table.columns] + [_("Masked")]


def table_csv(table: Table) -> bytes:
    """Semicolon-separated UTF-8 with BOM and decimal comma, as Norwegian spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(inert_row(_header(table)))
    for row in table.rows:
        kinds = [c.kind for c in table.columns] + ["text"]
        writer.writerow(
            inert_row(
                format_value(v, k).replace(".", ",")
                if isinstance(v, Decimal)
                else format_value(v, k)
                for v, k in zip(_cells(table, row), kinds, strict=True)
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.slug[:31]
    sheet.append(_header(table))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            xlsx_row(sheet, [float(v) if isinstance(v, Decimal) else v for v in _cells(table, row)])
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unit_pdf(
    title: str, subtitle: str, chart_png: bytes | None, tables: list[Table], chart_alt: str = ""
) -> bytes:
    """A printable report for a staff meeting: heading, the chart, then the tables (A4 landscape)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    if chart_png:
        pdf.image(io.BytesIO(chart_png), w=pdf.epw, alt_text=chart_alt)
    for table in tables:
        _pdf_table(pdf, table)
    return bytes(pdf.output())


def _pdf_table(pdf, table: Table) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, str(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 7)
    header = _header(table)
    with pdf.table(
        col_widths=tuple([2] + [1] * (len(header) - 2) + [2]),
        text_align="LEFT",
        first_row_as_headings=True,
    ) as grid:
        grid.row(header)
        kinds = [c.kind for c in table.columns] + ["text"]
        for row in table.rows:
            grid.row([format_value(v, k) for v, k in zip(_cells(table, row), kinds, strict=True)])
