"""Test helpers that make real files: PDFs drawn with reportlab and the wqy-zenhei CJK font,
DOCX written with python-docx. Nothing here parses; the tests compare what ingest reads back
with what was drawn."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed" / "000_5452a5bf9b53dca5.txt"
REFERENCE_COPY = REPO / "corpus" / "gaigekuaibao-2021-12.txt"
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "wqy"

# The six places where the seed's page breaks cut a sentence: the start of the cut-off part.
SEED_CUT_HEADS = ("力完善法治保障", "州新时期产业工人队伍建设改革责任书", "抓实党史学习教育",
                  "规模稳定在", "关，南涧县", "产业工人培养计划")

A4 = (595.28, 841.89)
LEFT, RIGHT, TOP, BOTTOM = 79.0, 74.0, 72.0, 88.0


def reference_text() -> str:
    """The reference bulletin's extracted text (the shared seed, else the repo's corpus copy)."""
    for path in (SEED, REFERENCE_COPY):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"reference bulletin not found at {SEED} or {REFERENCE_COPY}")


def reference_lines() -> list[str]:
    """The seed's non-empty lines with the six page cuts glued back (the paragraphs as printed)."""
    lines: list[str] = []
    for line in reference_text().splitlines():
        line = line.strip().replace("**", "")
        if not line:
            continue
        if lines and line.startswith(SEED_CUT_HEADS):
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.is_file():
        pytest.skip(f"CJK font not installed: {FONT_PATH} (apt-get install fonts-wqy-zenhei)")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))
    return FONT


@dataclass(frozen=True)
class Para:
    """A paragraph to draw: how it is aligned, its size and first-line indent (in characters)."""

    text: str
    size: float = 15.0
    align: str = "justify"  # justify | center | right | left
    indent: int = 2
    space_before: float = 0.0
    color: str | None = None  # e.g. "#E60000" for a red 发文机关标志


@dataclass
class RenderedPdf:
    """The file and, for each paragraph drawn, the pages where it starts and ends."""

    path: Path
    pages: int = 0
    spans: list[tuple[str, int, int]] = field(default_factory=list)

    def span_of(self, start: str) -> tuple[int, int]:
        """(first page, last page) of the paragraph whose text starts with `start` (spaces aside)."""
        start = re.sub(r"\s", "", start)
        return next((a, b) for text, a, b in self.spans if re.sub(r"\s", "", text).startswith(start))


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, runs of Latin/digits kept together."""
    return re.findall(r"[A-Za-z0-9.%+\-]+|.", text)


def _wrap(text: str, size: float, width: float, indent: int) -> list[tuple[str, float, bool]]:
    """Lines as (text, x offset, full) with a first-line indent of `indent` characters."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[tuple[str, float, bool]] = []
    offset = indent * size
    current = ""
    for token in _tokens(text):
        if not current and token == " ":
            continue
        if current and stringWidth(current + token, FONT, size) > width - offset:
            lines.append((current.rstrip(), offset, True))
            offset, current = 0.0, token.lstrip()
        else:
            current += token
    if current:
        lines.append((current, offset, False))
    return lines


class _Writer:
    def __init__(self, path: Path, page_numbers: bool, encrypt: str | None = None) -> None:
        from reportlab.lib import pdfencrypt
        from reportlab.pdfgen import canvas

        secure = pdfencrypt.StandardEncryption(encrypt, "owner") if encrypt else None
        self.canvas = canvas.Canvas(str(path), pagesize=A4, encrypt=secure)
        self.page = 1
        self.y = A4[1] - TOP
        self.page_numbers = page_numbers
        self.width = A4[0] - LEFT - RIGHT

    def new_page(self) -> None:
        if self.page_numbers:
            self.canvas.setFont(FONT, 14)
            self.canvas.drawCentredString(A4[0] / 2, BOTTOM - 40, f"— {self.page} —")
        self.canvas.showPage()
        self.page += 1
        self.y = A4[1] - TOP

    def line(self, text: str, size: float, x: float, full: bool, align: str,
             color: str | None = None) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lead = size * 1.75
        if self.y - lead < BOTTOM:
            self.new_page()
        self.y -= lead
        natural = stringWidth(text, FONT, size)
        room = self.width - x
        if align == "center":
            x = LEFT + (self.width - natural) / 2
        elif align == "right":
            x = LEFT + self.width - natural - 2 * size
        else:
            x = LEFT + x
        obj = self.canvas.beginText(x, self.y)
        obj.setFont(FONT, size)
        obj.setFillColor(color or "#000000")
        if align == "justify" and full and len(text) > 1:
            obj.setCharSpace((room - natural) / (len(text) - 1))  # 两端对齐, like Word
        obj.textOut(text)
        self.canvas.drawText(obj)

    def paragraph(self, para: Para) -> tuple[int, int]:
        self.y -= para.space_before
        start = None
        for text, x, full in _wrap(para.text, para.size, self.width, para.indent):
            self.line(text, para.size, x, full, para.align, para.color)
            start = start or self.page
        return start or self.page, self.page

    def close(self) -> int:
        if self.page_numbers:
            self.canvas.setFont(FONT, 14)
            self.canvas.drawCentredString(A4[0] / 2, BOTTOM - 40, f"— {self.page} —")
        self.canvas.save()
        return self.page


def render_pdf(path: Path, paras: Sequence[Para], page_numbers: bool = True,
               encrypt: str | None = None) -> RenderedPdf:
    """Draw the paragraphs on A4 pages (justified, wrapped, page numbers `— N —` at the foot)."""
    _font()
    writer = _Writer(path, page_numbers, encrypt)
    result = RenderedPdf(path)
    for para in paras:
        first, last = writer.paragraph(para)
        result.spans.append((para.text, first, last))
    result.pages = writer.close()
    return result


def bulletin_paras() -> list[Para]:
    """The reference bulletin laid out as printed: masthead, title, body, distribution."""
    lines = reference_lines()
    issue = next(i for i, t in enumerate(lines) if "总第" in t)
    date = next(i for i, t in enumerate(lines) if re.fullmatch(r"[\d 年月日]+", t))
    paras = [Para("云南省新时期产业工人队伍建设改革工作协调领导小组办公室", 12, "center", 0),
             Para("改革快报", 36, "center", 0, 6),
             Para(lines[issue], 15, "center", 0, 4)]
    paras += [Para(t, 14, "left", 0) for t in lines[issue + 1:date]]
    paras.append(Para(lines[date], 14, "right", 0))
    title_a, title_b = lines[date + 1].split(" ")
    paras += [Para(title_a, 20, "center", 0, 20), Para(title_b, 20, "center", 0)]
    for text in lines[date + 2:]:
        distribution = text.startswith(("报：", "送："))
        paras.append(Para(text, 15, "justify", 0 if distribution else 2,
                          12 if text.startswith("报：") else 0))
    return paras


def render_bulletin_pdf(path: Path) -> RenderedPdf:
    """The reference bulletin as a multi-page A4 PDF."""
    return render_pdf(path, bulletin_paras())


POLICY_PARAS = [
    Para("示例州总工会文件", 28, "center", 0),
    Para("示工发〔2020〕15号", 15, "center", 0, 12),
    Para("示例州总工会关于加强", 20, "center", 0, 20),
    Para("企业民主管理工作的意见", 20, "center", 0),
    Para("各县市总工会，州级各产业工会：", 15, "justify", 0, 12),
    Para("为保障产业工人的民主管理权益，根据《企业民主管理规定》（中办发〔2012〕12号），"
         "结合本州实际，提出如下意见。"),
    Para("一、总体要求"),
    Para("坚持党建带工建、促产改，以职工代表大会为基本形式，以厂务公开为重要载体，推动企业"
         "民主管理制度化、规范化、程序化，到2022年全州企业职代会建制率稳定在90%以上。"),
    Para("二、主要任务"),
    Para("（一）健全职工代表大会制度。企业每年至少召开一次职代会，审议涉及职工切身利益的"
         "重大事项。"),
    Para("（二）深化厂务公开。企业应当公开集体合同履行、社会保险缴纳等事项，接受职工监督。"),
    Para("示例州总工会", 15, "right", 0, 24),
    Para("2020年5月18日", 15, "right", 0),
]


def render_policy_pdf(path: Path) -> RenderedPdf:
    """A one-page 公文 in GB/T 9704 layout."""
    return render_pdf(path, POLICY_PARAS)


def render_docx(path: Path, paragraphs: Sequence[tuple[str, str | None]],
                table: Sequence[Sequence[str]] = ()) -> Path:
    """A .docx with (text, style) paragraphs, then a table with the given rows."""
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def render_shapes_pdf(path: Path) -> Path:
    """A PDF with drawings and no text at all (what a scan without OCR looks like to a parser)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(100, 500, 300, 200, fill=1)
    c.circle(300, 300, 80)
    c.showPage()
    c.save()
    return path


def render_table_pdf(path: Path, before: Sequence[str], rows: Sequence[Sequence[str | None]],
                     after: Sequence[str], landscape: str = "", size: float = 12.0,
                     repeat_header: bool = True) -> Path:
    """Paragraphs, a ruled table, more paragraphs on A4; a table too long for the page goes on
    over the next, its header row repeated (as Word does) if asked.

    landscape: "" portrait; "wide" a landscape page (MediaBox wider than tall); "rotated" a
    portrait MediaBox with /Rotate 90 and the content turned to read upright when shown.

    In `rows`, None is a cell merged with the one to its left (no rule between them): its text
    is the left cell's, printed once.
    """
    from reportlab.pdfgen import canvas

    font = _font()
    width, height = (A4[1], A4[0]) if landscape else A4
    c = canvas.Canvas(str(path), pagesize=(width, height))  # rotated: reportlab writes the
    # MediaBox portrait (595 x 842) under /Rotate 90, so the page shows 842 wide

    def begin_page() -> None:
        if landscape == "rotated":  # shown turned 90° clockwise: draw turned the other way
            c.setPageRotation(90)
            c.translate(A4[0], 0)
            c.rotate(90)

    begin_page()
    y = height - TOP
    text_width = width - LEFT - RIGHT

    def paragraph(text: str) -> None:
        nonlocal y
        for line, x, _ in _wrap(text, size, text_width, 2):
            y -= size * 1.75
            c.setFont(font, size)
            c.drawString(LEFT + x, y, line)

    for text in before:
        paragraph(text)
    y -= size
    columns = max(len(row) for row in rows)
    cell_w = text_width / columns
    row_h = size * 2

    def draw_row(row: Sequence[str | None]) -> None:
        nonlocal y
        c.line(LEFT, y, LEFT + text_width, y)
        for i, cell in enumerate(row):
            x = LEFT + i * cell_w
            if cell is None:
                continue  # merged into the cell on its left: no rule, no text
            c.line(x, y, x, y - row_h)
            c.setFont(font, size)
            c.drawString(x + 4, y - row_h + size * 0.6, cell)
        c.line(LEFT + text_width, y, LEFT + text_width, y - row_h)
        y -= row_h

    for r, row in enumerate(rows):
        if y - row_h < BOTTOM:  # the table goes on over the page, its header row repeated
            c.line(LEFT, y, LEFT + text_width, y)
            c.showPage()
            begin_page()
            y = height - TOP
            if repeat_header:
                draw_row(rows[0])
        draw_row(row)
    c.line(LEFT, y, LEFT + text_width, y)
    y -= size
    for text in after:
        paragraph(text)
    c.showPage()
    c.save()
    return path
