"""Word .docx via python-docx: paragraphs and table rows in document order."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Iterator

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..model import Document, ParseError, Source
from ..normalize import Block, normalize_inline
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


def _row_text(row_cells: list) -> str:
    """A table row as one line, each merged cell once."""
    seen: list[object] = []
    texts = []
    for cell in row_cells:
        if any(cell._tc is s for s in seen):
            continue
        seen.append(cell._tc)
        text = normalize_inline(cell.text.replace("\n", " "))
        if text:
            texts.append(text)
    return " | ".join(texts)  # a plain space before a digit would not survive normalization


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
            for row in Table(child, document).rows:
                text = _row_text(list(row.cells))
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
