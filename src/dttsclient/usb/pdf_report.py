"""The report in PDF: the same content as the Excel form (see :mod:`.layout`), A4, ready to sign.

fpdf2 draws it in Liberation Serif, shipped in ``resources/fonts`` (SIL Open Font License, see the LICENSE
file there): a serif metric-compatible with Times New Roman, the face of Vietnamese administrative
documents, holding every Vietnamese letter. The fonts are embedded as subsets with their Unicode maps, so
the text can be searched and copied. A finalized report prints its revision and the hub's receipt number
(when known) under the title, and the officer's reasons for the warnings in "Ghi chú" under the table. The column header repeats on every page; the footer numbers the pages; the
signature block (place and date to fill, Người lập biểu, Thủ trưởng đơn vị) is never split across pages.
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from fpdf import FPDF

from dttsclient import __version__
from dttsclient.usb.errors import BadFile
from dttsclient.usb.layout import (
    ExportOptions,
    ReportLayout,
    Row,
    export_layout,
    export_report,
    layout_for_blank,
    nfc,
    state_mark,
)

if TYPE_CHECKING:
    from dttsclient.store import Store

FONT = "LiberationSerif"
FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
PAGE_WIDTH = 190.0  # A4 portrait minus 10 mm margins
GREY = (217, 217, 217)
LIGHT = (242, 242, 242)
SIGNATURE_HEIGHT = 45.0


class _ReportPdf(FPDF):
    """FPDF with the report's footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.cell(0, 5, f"{self._footer_text}    Trang {self.page_no()}/{{nb}}", align="C")


def _widths(k: int) -> list[float]:
    code, unit, value, total, note = 12.0, 15.0, 18.0, 20.0, 30.0
    name = PAGE_WIDTH - code - unit - k * value - total - note
    return [code, name, unit, *([value] * k), total, note]


def render_pdf(layout: ReportLayout, path: Path) -> None:
    """Draw the PDF of ``layout`` into ``path`` (local disk)."""
    pdf = _ReportPdf(f"{layout.form} — {layout.unit} — {layout.period}")
    with ExitStack() as stack:
        for style, name in FONT_FILES.items():
            resource = files("dttsclient.resources") / "fonts" / name
            pdf.add_font(FONT, style, str(stack.enter_context(as_file(resource))))
        pdf.set_title(nfc(f"{layout.form} {layout.form_name} — {layout.unit_name} — {layout.period_label}"))
        pdf.set_author(nfc(layout.issuer))
        pdf.set_creator(f"DTTS Client {__version__}")
        pdf.set_lang("vi")
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(True, margin=15)
        pdf.alias_nb_pages()
        pdf.add_page()
        _heading(pdf, layout)
        _table(pdf, layout)
        _notes(pdf, layout)
        _signature(pdf, layout)
        pdf.output(str(path))


def _heading(pdf: FPDF, layout: ReportLayout) -> None:
    half = PAGE_WIDTH / 2
    pdf.set_font(FONT, "B", 10)
    pdf.cell(half * 0.8, 5, nfc(f"Biểu số: {layout.form}"))
    pdf.cell(half * 1.2, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(half * 0.8, 5, nfc(layout.issuer))
    pdf.cell(half * 1.2, 5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(PAGE_WIDTH, 6.5, nfc(layout.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 9)
    if layout.sample:
        pdf.cell(
            PAGE_WIDTH,
            5,
            "(Danh mục MẪU — chỉ dùng thử, không phải số liệu chính thức)",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if layout.state != "finalized":
        pdf.cell(PAGE_WIDTH, 5, state_mark(layout), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 9)
    label_w = max(pdf.get_string_width(nfc(label + ":")) for label, _ in layout.header_lines) + 3
    for label, text in layout.header_lines:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(label_w, 5, nfc(label + ":"))
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(PAGE_WIDTH - label_w, 5, nfc(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _row_texts(r: Row) -> list[str]:
    if r.kind == "subheader":
        return ["", r.label, "", *[c.text for c in r.cells], r.total.text, ""]
    label = r.label if r.kind == "indicator" else f"   {r.label}"
    return [r.code, label, r.unit, *[c.text for c in r.cells], r.total.text, r.note]


class _Table:
    """A light table drawer: word wrap with the font's widths, one rectangle and a few text runs per cell.

    (fpdf2's own ``table()`` lays out every cell with ``multi_cell`` and takes seconds for a large form.)
    The column header is drawn again at the top of every page.
    """

    LINE = 4.2
    SIZE = 9  # points: Liberation Serif is narrower than a sans-serif, 9 pt reads well in the table
    PAD = 1.0

    def __init__(self, pdf: FPDF, widths: list[float], header: list[tuple[str, int]]) -> None:
        self.pdf, self.widths, self.header = pdf, widths, header
        self.left = pdf.l_margin

    def width(self, text: str) -> float:
        """The width of ``text`` in the current font, from the font's advance widths (no shaping is used,
        and fpdf2's own ``get_string_width`` is slow for thousands of cells)."""
        pdf = self.pdf
        return pdf.current_font.get_text_width(text, pdf.font_size_pt, None)[1] / pdf.k

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap of ``text`` into lines no wider than ``width`` (long words are cut)."""
        if not text:
            return [""]
        if self.width(text) <= width:
            return [text]
        lines, line = [], ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if self.width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while self.width(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and self.width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
        return lines

    def draw_header(self) -> None:
        cells, col = [], 0
        for text, span in self.header:
            cells.append((text, sum(self.widths[col : col + span]), "C", "B", GREY))
            col += span
        self.draw(cells, new_page_header=False)

    def draw(
        self, cells: list[tuple[str, float, str, str, tuple | None]], new_page_header: bool = True
    ) -> None:
        """One row: (text, width, align L/C/R, font style, fill colour or None) per cell."""
        pdf = self.pdf
        wrapped = []
        for text, width, _, style, _ in cells:
            pdf.set_font(FONT, style, self.SIZE)
            wrapped.append(self.wrap(text, width - 2 * self.PAD))
        height = max(len(lines) for lines in wrapped) * self.LINE + 2 * self.PAD
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
            if new_page_header:
                self.draw_header()
        x, y = self.left, pdf.get_y()
        for (_text, width, align, style, fill), lines in zip(cells, wrapped, strict=True):
            if fill is not None:
                pdf.set_fill_color(*fill)
                pdf.rect(x, y, width, height, style="DF")
            else:
                pdf.rect(x, y, width, height)
            pdf.set_font(FONT, style, self.SIZE)
            for n, line in enumerate(lines):
                if not line:
                    continue
                w = self.width(line)
                if align == "R":
                    tx = x + width - self.PAD - w
                elif align == "C":
                    tx = x + (width - w) / 2
                else:
                    tx = x + self.PAD
                pdf.text(tx, y + self.PAD + (n + 1) * self.LINE - 1.0, line)
            x += width
        pdf.set_xy(self.left, y + height)


def _table(pdf: FPDF, layout: ReportLayout) -> None:
    k = layout.value_columns
    widths = _widths(k)
    pdf.set_draw_color(128, 128, 128)
    pdf.set_line_width(0.15)
    table = _Table(
        pdf,
        widths,
        [("Mã số", 1), ("Chỉ tiêu", 1), ("Đơn vị tính", 1), ("Số liệu", k), ("Tổng số", 1), ("Ghi chú", 1)],
    )
    table.draw_header()
    for r in layout.rows:
        if r.kind == "group":
            table.draw([(nfc(r.label), PAGE_WIDTH, "L", "B", GREY)])
            continue
        texts = [nfc(t) for t in _row_texts(r)]
        style = "B" if r.kind in ("indicator", "total") else ("I" if r.kind == "subheader" else "")
        if r.span:  # a text value across the value and total columns
            span_w = sum(widths[3 : 4 + k])
            table.draw(
                [
                    (texts[0], widths[0], "C", style, None),
                    (texts[1], widths[1], "L", style, None),
                    (texts[2], widths[2], "C", style, None),
                    (texts[3], span_w, "L", "", None),
                    (texts[-1], widths[-1], "L", "", None),
                ]
            )
            continue
        cells = []
        for i, (text, width) in enumerate(zip(texts, widths, strict=True)):
            in_values = 3 <= i <= 3 + k
            if r.kind == "subheader":
                align = "C"
            elif in_values:
                align = "R"
            else:
                align = "C" if i in (0, 2) else "L"
            fill = None
            if r.kind == "total" or (i == 3 + k and text and r.kind != "subheader"):
                fill = LIGHT
            cell_style = "" if i == len(texts) - 1 and r.kind != "subheader" else style
            cells.append((text, width, align, cell_style, fill))
        table.draw(cells)


def _notes(pdf: FPDF, layout: ReportLayout) -> None:
    """ "Ghi chú:" and one line per note (the officer's reasons for the warnings)."""
    if not layout.notes:
        return
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(PAGE_WIDTH, 5.5, "Ghi chú:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    for note in layout.notes:
        pdf.multi_cell(PAGE_WIDTH, 5, nfc(f"- {note}"), new_x="LMARGIN", new_y="NEXT")


def _signature(pdf: FPDF, layout: ReportLayout) -> None:
    if pdf.get_y() + SIGNATURE_HEIGHT > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    half = PAGE_WIDTH / 2
    pdf.set_font(FONT, "I", 10)
    pdf.set_x(10 + half)
    pdf.cell(half, 5, nfc(layout.date_line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(half, 6, "NGƯỜI LẬP BIỂU", align="C")
    pdf.cell(half, 6, layout.head_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "I", 9)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.cell(half, 5, "(Ký, đóng dấu, ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(25)


def _verify_pdf(path: Path) -> None:
    """A light check of the written copy: a PDF header and an end-of-file marker."""
    with open(path, "rb") as fh:
        head = fh.read(5)
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise BadFile(path, "tệp PDF ghi ra không đầy đủ.", "the PDF written is incomplete.")


def export_pdf(store: Store, report_id: int, path: Path | str, **options: Unpack[ExportOptions]) -> Path:
    """Write the report as a PDF (atomic and verified, like backups); the file written.

    ``path`` is the target ``.pdf`` file or a folder; ``options`` and the errors raised are those of
    :func:`~dttsclient.usb.layout.export_report`.
    """
    return export_report(
        store, report_id, path, suffix=".pdf", render=render_pdf, verify=_verify_pdf, **options
    )


def export_pdf_blank(
    store: Store, unit: str, form: str, period: str, path: Path | str, **options: Unpack[ExportOptions]
) -> Path:
    """Write the empty form of a report not started yet (PDF), with the commune's ethnic rows.

    See :func:`~dttsclient.usb.layout.layout_for_blank`; nothing is written to the store.
    """
    layout = layout_for_blank(store, unit, form, period)
    return export_layout(layout, path, suffix=".pdf", render=render_pdf, verify=_verify_pdf, **options)
