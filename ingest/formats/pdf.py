"""PDF via pdfplumber: lines from character geometry, paragraphs from indents, gaps and margins."""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from .. import ocr
from ..model import Document, ParseError, Source
from ..model import table_text
from ..normalize import (Block, is_sentence_end, join_lines, normalize_inline, repair_page_breaks,
                         starts_paragraph, table_block)
from ..tables import continue_table, inside, pdf_tables
from ..layout import layout_title, merge_displaced_digits
from ..structure import Hints, build_document

# — 3 —, -3-, - 3 -, 第3页, 第3页 共5页, 3/5: running page numbers, not text.
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－_·•]*$")


@dataclass(frozen=True)
class Line:
    """One printed line: its text and where it sits on its page."""

    text: str
    x0: float
    x1: float
    top: float
    size: float
    page: int
    rows: tuple[tuple[str, ...], ...] = ()  # a table found on the page, whole (text: its rows)


def _encrypted(exc: BaseException) -> bool:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    return isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or \
        "encrypt" in type(cause).__name__.lower()


def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,;:)]}")


def _line_text(chars: Sequence[dict[str, Any]]) -> str:
    """Characters → text; a space between Latin words or table columns, not letter-spacing."""
    out: list[str] = []
    prev = None
    for ch in chars:
        text = ch["text"]
        if prev is not None and text != " " and prev["text"] != " ":
            gap = ch["x0"] - prev["x1"]
            if gap > 1.5 * ch["size"] or (gap > 0.25 * ch["size"] and _is_latin(prev["text"][-1])
                                          and _is_latin(text[0])):
                out.append(" ")  # a word space, or a column gap in a table
        out.append(text)
        prev = ch
    return normalize_inline("".join(out))


def page_lines(page: Any, number: int) -> list[Line]:
    """The page's lines top to bottom, without a running page number at the top or bottom.

    A ruled data table is one Line holding its rows, where it stands; its text is not repeated
    in the lines around it.
    """
    found = pdf_tables(page)
    chars = sorted((c for c in page.chars if c["text"]
                    and not any(inside(c, t.bbox) for t in found)),
                   key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for ch in chars:
        if groups and abs(ch["top"] - groups[-1][0]["top"]) <= 0.5 * groups[-1][0]["size"]:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    lines = []
    for group in merge_displaced_digits(groups):
        group.sort(key=lambda c: c["x0"])
        text = _line_text(group)
        if text:
            visible = [c for c in group if c["text"].strip()]
            lines.append(Line(text, visible[0]["x0"], visible[-1]["x1"], group[0]["top"],
                              statistics.median(c["size"] for c in visible), number))
    lines = without_page_numbers(lines)
    for table in found:
        x0, top, x1, _ = table.bbox
        at = next((i for i, line in enumerate(lines) if line.top > top), len(lines))
        size = lines[0].size if lines else 10.0
        lines.insert(at, Line(table_text(table.rows), x0, x1, top, size, number, table.rows))
    return lines


def without_page_numbers(lines: list[Line]) -> list[Line]:
    """The page's lines less a running page number at the foot or the head."""
    if lines and _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[0].text) and any(not c.isdigit() for c in lines[0].text):
        lines.pop(0)  # a bare number at the top is more likely data than a page number
    return lines


@dataclass(frozen=True)
class _Metrics:
    left: float
    right: float
    pitch: float


def _metrics(lines: Sequence[Line]) -> _Metrics:
    """The text block's left and right margins and the usual distance between lines."""
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    ends = sorted(line.x1 for line in lines if abs(line.x0 - left) <= 2) or [lines[0].x1]
    right = ends[int(0.9 * (len(ends) - 1))]
    steps = [b.top - a.top for a, b in zip(lines, lines[1:])
             if a.page == b.page and 0 < b.top - a.top < 3 * a.size]
    return _Metrics(left, right, statistics.median(steps) if steps else 2 * lines[0].size)


def _new_paragraph(prev: Line, line: Line, m: _Metrics) -> bool:
    if prev.rows or line.rows:
        return True  # a table stands alone
    if line.page == prev.page and line.top - prev.top > 1.6 * m.pitch:
        return True  # a blank line between
    if abs(line.size - prev.size) > 1.0:
        return True  # a title or a heading in another size
    if line.x0 > m.left + 0.8 * line.size:
        return True  # first-line indent (or a centred line)
    if prev.x1 < m.right - 2 * prev.size:
        return True  # the previous line stopped short of the margin
    return starts_paragraph(line.text) and is_sentence_end(prev.text)


def paragraphs(lines: Sequence[Line]) -> tuple[list[Block], list[Block]]:
    """Lines → paragraphs, across page breaks too; each keeps the page where it starts.

    Also returns the paragraphs that begin at the top of a page (where a cut may hide).
    """
    if not lines:
        return [], []
    m = _metrics([line for line in lines if not line.rows] or lines)
    blocks: list[Block] = []
    tops: list[int] = []  # the paragraphs whose first line opens a page
    start = lines[0]
    text = start.text
    for prev, line in zip(lines, lines[1:]):
        if _new_paragraph(prev, line, m):
            blocks.append(_block(text, start))
            text, start = line.text, line
            if line.page != prev.page:
                tops.append(len(blocks))
        else:
            text = join_lines(text, line.text)
    blocks.append(_block(text, start))
    return blocks, [blocks[i] for i in tops]


def _block(text: str, start: Line) -> Block:
    if start.rows:
        return table_block(start.rows, start.page)
    return Block(normalize_inline(text), start.page)


def read_pdf_lines(path: Path, data: bytes) -> list[Line]:
    """Every line of every page, or the ParseError that says why not."""
    return read_pdf(path, data)[0]


def read_pdf(path: Path, data: bytes) -> tuple[list[Line], tuple[int, ...]]:
    """Every line of every page (pages without a text layer OCR'd), and the OCR'd pages."""
    if b"%PDF-" not in data[:1024]:  # readers accept the header anywhere in the first 1 KB
        raise ParseError(path, "不是 PDF 文件")
    lines: list[Line] = []
    ocr_pages: list[int] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                if ocr.needs_ocr(page):
                    if not ocr_pages:
                        ocr.check_tesseract(path)
                    ocr_pages.append(number)
                    lines += without_page_numbers([Line(o.text, o.x0, o.x1, o.top, o.size, number)
                                                   for o in ocr.ocr_page(path, page, number)])
                else:
                    lines += page_lines(page, number)
    except ParseError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        if _encrypted(exc):
            raise ParseError(path, "PDF 已加密") from exc
        raise ParseError(path, "PDF 已损坏或不完整") from exc
    if not lines:
        if ocr_pages:
            raise ParseError(path, "PDF 没有文字层，OCR 也未识别出文字（图像不清？）")
        raise ParseError(path, "PDF 没有文字（空白页？）")
    return lines, tuple(ocr_pages)


def parse_pdf(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A PDF file → one Document whose passages carry their page numbers."""
    lines, ocr_pages = read_pdf(path, data)
    blocks, page_tops = paragraphs(lines)
    blocks, _ = repair_page_breaks(blocks, lambda _, block: any(block is b for b in page_tops))
    blocks = join_split_tables(blocks)
    title = layout_title([line for line in lines if not line.rows], ocr_pages)
    return [ocr.mark_ocr(build_document(doc_id, blocks, Hints(layout_title=title), source), ocr_pages)]


def join_split_tables(blocks: list[Block]) -> list[Block]:
    """A table that a page break cut (same columns, next page, nothing between) as one table."""
    out: list[Block] = []
    last_page = 0  # the page where the block before ends
    for block in blocks:
        prev = out[-1] if out else None
        joined = None
        if prev is not None and prev.rows and block.rows and block.page == last_page + 1:
            joined = continue_table(prev.rows, block.rows)
        if joined and prev is not None:
            out[-1] = table_block(joined, prev.page)
        else:
            out.append(block)
        last_page = block.page or 0
    return out
