"""Word .docx via python-docx: paragraphs and table rows in document order."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Iterator

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..model import Document, ParseError, Source
from ..normalize import Block, normalize_inline, table_block
from ..tables import cell_text, data_table
from ..structure import Hints, build_document

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)


def _style_level(paragraph: Paragraph) -> int | None:
    """Word's own outline level: Title → 0, Heading 1..4 → 1..4."""
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):  # a style id the styles part does not define
        return None
    if name in {"Title", "标题"}:
        return 0
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 4 else None


def table_rows(table: Table) -> list[list[str]]:
    """A Word table's rows of cells: a merged cell's text once (the cells it covers empty), a
    table nested in a cell flattened into that cell's text."""
    rows: list[list[str]] = []
    seen: dict[int, object] = {}  # id → the element, kept alive so that an id is not reused
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                cells.append("")  # covered by a merge: its text is in the first cell
                continue
            seen[id(cell._tc)] = cell._tc
            cells.append(_cell_text(cell))
        rows.append(cells)
    return rows


def _cell_text(cell: _Cell) -> str:
    """The cell's paragraphs and nested tables' cells, in order, on one line."""
    parts: list[str] = []
    for child in cell._tc.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(Paragraph(child, cell).text)
        elif child.tag == qn("w:tbl"):
            parts += [text for row in table_rows(Table(child, cell)) for text in row]
    return " ".join(p for p in (cell_text(p) for p in parts) if p)


def docx_blocks(document: docx.document.Document) -> Iterator[Block]:
    """Body paragraphs (a line break inside one splits it) and table rows, in order."""
    # One lookup per style id: python-docx scans every style on each lookup, which made a
    # DOCX of 500,000 short paragraphs take over 600 s.
    levels: dict[str | None, int | None] = {}
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if child.style not in levels:
                levels[child.style] = _style_level(paragraph)
            level = levels[child.style]
            for line in paragraph.text.split("\n"):
                text = normalize_inline(line)
                if text:
                    yield Block(text, heading_hint=level)
        elif child.tag == qn("w:tbl"):
            rows = table_rows(Table(child, document))
            table = data_table(rows)
            if table is not None:
                yield table_block(table)
            else:  # a layout box or a metadata table: its lines as text
                for row in rows:
                    text = " | ".join(cell for cell in map(cell_text, row) if cell)
                    if text:
                        yield Block(text)


def parse_docx(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A .docx file → one Document."""
    if not data.startswith(b"PK"):
        raise ParseError(path, "不是 DOCX 文件")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(docx_blocks(document))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ParseError(path, "不是 DOCX 文件（已损坏，或不是 Word 文档）") from exc
    except Exception as exc:  # lxml and python-docx raise many types for damaged parts
        raise ParseError(path, "DOCX 文件已损坏") from exc
    if not blocks:
        raise ParseError(path, "文档中没有文字")
    title = next((b.text for b in blocks if b.heading_hint == 0), None)
    return [build_document(doc_id, blocks, Hints(fallback_title=title), source)]
