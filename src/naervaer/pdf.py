"""The app's printable documents (fpdf2, pure Python): an A4 page with the DejaVu fonts, so æ, ø
and å print, and the two styles the documents use — a heading and a wrapped paragraph of text."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.set_title(title)
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_page()
        self.set_font("DejaVu", "", 10)

    def heading(self, text: str, size: int = 12) -> None:
        self.set_font("DejaVu", "B", size)
        self.ln(2)
        self.multi_cell(self.epw, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)

    def paragraph(self, text: str) -> None:
        self.multi_cell(self.epw, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    def content(self) -> bytes:
        return bytes(self.output())
