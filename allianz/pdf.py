"""German PDF documents (protocols, council reports) with page numbers, date and sources.

fpdf2 writes text as text (no HTML, no markdown), so what a user typed lands literally.
The DejaVu fonts come with matplotlib, so umlauts, „quotes“ and € need no system fonts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import matplotlib
import pyphen
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_HYPHENATOR = pyphen.Pyphen(lang="de_DE")
_ALLOWED = set(range(0x20, 0x7F)) | set(range(0xA0, 0x2FFF)) | {0x0A}


def printable(text: object) -> str:
    """Replace characters the embedded font cannot show (emoji, control and bidi marks)."""
    return "".join(ch if ord(ch) in _ALLOWED else "\ufffd" for ch in str(text))


class Document(FPDF):
    """A4 portrait, title in the header line, 'Seite n von m' and the date in the footer."""

    def __init__(self, title: str, source_note: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = printable(title)
        self.source_note = printable(source_note)
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(self.doc_title)
        self.set_lang("de-DE")
        self.set_creator("Allianz-Werkstatt")
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages("{nb}")
        self.add_page()

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90)
        self.cell(0, 5, self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90)
        stamp = date.today().strftime("%d.%m.%Y")
        self.cell(0, 5, f"Stand {stamp} · {self.source_note}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, level: int = 1) -> None:
        sizes = {1: 16, 2: 13, 3: 11}
        self.ln(2 if level > 1 else 0)
        self.set_font("DejaVu", "B", sizes.get(level, 11))
        self.multi_cell(0, 7, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font("DejaVu", "", size)
        self.multi_cell(0, 5, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        self.table_of(["", ""], [list(r) for r in rows], widths=(45, 135), header=False)

    def table_of(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[int] | None = None,
        header: bool = True,
        size: int = 9,
    ) -> None:
        shares = list(widths) if widths else [1] * len(columns or rows[0])
        room = [self.epw * w / sum(shares) - 2 for w in shares]  # minus the cell padding
        self.set_font("DejaVu", "B", size)
        columns = [self._fit(str(c), room[i]) for i, c in enumerate(columns)]
        self.set_font("DejaVu", "", size)
        rows = [
            [self._fit(printable("" if v is None else v), room[i]) for i, v in enumerate(values)]
            for values in rows
        ]
        bold = FontFace(emphasis="BOLD", fill_color=(230, 236, 240))
        with self.table(
            col_widths=widths,
            text_align="LEFT",
            first_row_as_headings=header,
            headings_style=bold,
            line_height=1.25 * size * 0.3528 + 1,
        ) as table:
            if header:
                heading = table.row()
                for column in columns:
                    heading.cell(printable(column))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(printable("" if value is None else value))
        self.ln(2)

    def _fit(self, text: str, width: float) -> str:
        """Words too long for their column are hyphenated at a German syllable boundary
        ("Kernwege-" / "netz") instead of being cut at an arbitrary letter; measured in the
        current font."""
        lines = []
        for line in text.split("\n"):
            words = []
            for word in line.split(" "):
                while self.get_string_width(word) > width:
                    head, tail = next(
                        (
                            (h, t)
                            for h, t in _HYPHENATOR.iterate(word)
                            if self.get_string_width(h + "-") <= width
                        ),
                        (None, None),
                    )
                    if head is None:
                        break  # no syllable fits: the table wraps it as it must
                    words.append(head + "-\n")
                    word = tail
                words.append(word)
            lines.append(" ".join(words).replace("-\n ", "-\n"))
        return "\n".join(lines)

    def picture(self, data: bytes, width_mm: float = 160, caption: str = "") -> None:
        self.image(io.BytesIO(data), w=width_mm, alt_text=printable(caption) or None)
        if caption:
            self.paragraph(caption, size=8)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
