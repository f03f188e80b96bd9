"""The PDF report (fpdf2): verdicts in bokmål and English, effect table, standardised comparison, charts."""

from __future__ import annotations

import io
import math
from pathlib import Path

from fpdf import FPDF

from naervaer.stats.evaluation.charts import render_png
from naervaer.stats.evaluation.evaluate import EvaluationResult

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
METHOD_NOTE = (
    "Metode / method: difference-in-differences med enhets- og månedseffekter (sesong) og sammensetning "
    "(yrke, kjønn, aldersgruppe); konfidensintervall robuste per enhet, wild cluster bootstrap under 30 enheter; "
    "Poisson-modeller med eksponering for telletall; avbrutt tidsserie med Newey-West-feil uten referanse. "
    "'naive_before_after' viser hva en enkel før/etter-sammenligning ville sagt, og brukes ikke i konklusjonen."
)


def _fonts(pdf: FPDF) -> str:
    """Embed DejaVu Sans for Norwegian letters; the core Helvetica (latin-1, holds æøå) is the fallback."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
    return "Helvetica"


def _fmt(value: float, digits: int = 2) -> str:
    return "–" if math.isnan(value) or math.isinf(value) else f"{value:.{digits}f}"


def _heading(pdf: FPDF, font: str, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(font, "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 9)


def _table(
    pdf: FPDF, font: str, header: list[str], rows: list[list[str]], widths: tuple[int, ...]
) -> None:
    pdf.set_font(font, "", 7.5)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
        for row in [header, *rows]:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.set_font(font, "", 9)


def write_pdf(result: EvaluationResult, path: str | Path) -> None:
    """Write the evaluation report to ``path``."""
    spec = result.spec
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    font = _fonts(pdf)
    pdf.add_page()
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(0, 9, f"Evaluering / evaluation: {spec.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 9)
    if spec.description:
        pdf.multi_cell(0, 5, spec.description, new_x="LMARGIN", new_y="NEXT")

    def names(units: tuple[int, ...]) -> str:
        return ", ".join(f"{result.unit_names.get(u, u)} ({u})" for u in units) or "ingen / none"

    reference_kind = " (foreslått / suggested)" if result.reference_suggested else ""
    lines = [
        f"Målenheter / target units: {names(result.target_units)}",
        f"Referanseenheter / reference units{reference_kind}: {names(result.reference_units)}",
        f"Før / before: {spec.before_start} – {spec.preparation_start or spec.active_start}; "
        f"aktiv / active: {spec.active_start} – {spec.active_end}; etter / after: {spec.active_end} – {spec.after_end}",
        *result.notes,
    ]
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, font, "Konklusjon")
    for sentences in result.verdicts.values():
        pdf.multi_cell(0, 5, "• " + sentences["nb"], new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, font, "Conclusion")
    for sentences in result.verdicts.values():
        pdf.multi_cell(0, 5, "• " + sentences["en"], new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, font, "Effekter med 95 % intervall / effects with 95 % intervals")
    rows = [
        [
            e.indicator + (" *" if e.primary else ""),
            e.method,
            e.phase,
            _fmt(e.estimate, 3),
            _fmt(e.ci_low, 3),
            _fmt(e.ci_high, 3),
            e.unit_of_estimate,
            e.inference,
        ]
        for e in result.estimates
    ]
    _table(
        pdf,
        font,
        ["indikator", "metode", "fase", "estimat", "KI lav", "KI høy", "enhet", "inferens"],
        rows,
        (30, 26, 12, 14, 14, 14, 28, 52),
    )
    pdf.multi_cell(
        0,
        4,
        "* = grunnlag for konklusjonen / basis of the conclusion. " + METHOD_NOTE,
        new_x="LMARGIN",
        new_y="NEXT",
    )

    if not result.standardised.empty:
        _heading(pdf, font, "Standardisert sammenligning / standardised comparison")
        std = result.standardised
        rows = [
            [
                r.indicator,
                r.group,
                r.phase,
                _fmt(r.crude),
                _fmt(r.standardised),
                _fmt(r.crude_change),
                _fmt(r.standardised_change),
                _fmt(r.composition_effect),
            ]
            for r in std.itertuples()
        ]
        _table(
            pdf,
            font,
            [
                "indikator",
                "gruppe",
                "fase",
                "rå / crude",
                "standardisert",
                "rå endring",
                "std. endring",
                "sammensetning",
            ],
            rows,
            (34, 20, 18, 20, 24, 22, 22, 30),
        )

    for name, png in render_png(result).items():
        pdf.add_page()
        _heading(pdf, font, name.replace("_", " "))
        pdf.image(io.BytesIO(png), w=pdf.epw)
    pdf.output(str(path))
