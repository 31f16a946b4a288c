"""HTML pages such as gov.cn's: the 索引号/发文机关/… info table, then the body paragraphs."""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from ..model import Document, ParseError, Source
from ..model import table_text
from ..normalize import Block, normalize_inline, table_block
from ..tables import data_table
from ..structure import Hints, build_document, normalize_doc_number, parse_date
from .text import decode_text

CELL_SEPARATOR = " | "  # survives normalization, unlike a plain space before a digit

_DROP = ["script", "style", "nav", "noscript", "iframe", "form", "header", "footer", "aside",
         "button", "select", "svg", "template", "head"]
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tbody",
          "thead", "tr", "td", "th", "blockquote", "pre", "section", "article", "main", "dl", "dt",
          "dd", "center", "hr", "caption", "figure", "figcaption", "address"}
_INNER_BLOCK = ["p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section"]
_CONTENT = [{"id": "UCAP-CONTENT"}, {"class_": "pages_content"}, {"class_": "TRS_Editor"},
            {"class_": "article-content"}, {"id": "zoom"}, {"name": "article"}, {"name": "main"}]
_LABELS = {"索引号": "index_number", "主题分类": "topic", "发文机关": "issuer", "成文日期": "date",
           "标题": "title", "发文字号": "doc_number", "发布日期": "publish_date", "主题词": "keywords"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii").lower()
                               .replace("gb2312", "gb18030").replace("gbk", "gb18030"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(path, data)


def _label(text: str) -> str:
    return re.sub(r"[\s\u3000:：]", "", text)


def info_table(soup: BeautifulSoup) -> dict[str, str]:
    """gov.cn's metadata table: label cell → the value cell next to it."""
    info: dict[str, str] = {}
    for cell in soup.find_all(["td", "th"]):
        key = _LABELS.get(_label(cell.get_text()))
        value_cell = cell.find_next_sibling(["td", "th"]) if key else None
        if key and value_cell is not None and key not in info:
            value = normalize_inline(value_cell.get_text(" "))
            if value and _label(value) not in _LABELS:
                info[key] = value
    return info


def _hints(info: dict[str, str], soup: BeautifulSoup) -> Hints:
    number = info.get("doc_number")
    extra = {k: info[k] for k in ("index_number", "topic", "keywords") if info.get(k)}
    published = parse_date(info.get("publish_date", ""))
    if published:
        extra["publish_date"] = published.isoformat()
    page_title = soup.find("h1") or soup.find("title")
    sample = soup.find("meta", attrs={"name": "gongwen:sample"})
    return Hints(title=info.get("title"), issuer=info.get("issuer"),
                 date=parse_date(info.get("date", "")),
                 doc_number=(normalize_doc_number(number) or number) if number else None,
                 doc_type="policy" if number or info.get("issuer") else None,
                 fallback_title=normalize_inline(page_title.get_text(" ")) if page_title else None,
                 sample=sample is not None and str(sample.get("content", "")).lower() == "true",
                 extra=extra)


def _content_root(soup: BeautifulSoup) -> Tag:
    for query in _CONTENT:
        found = soup.find(**query) if "name" in query else soup.find(attrs={
            k.rstrip("_"): v for k, v in query.items()})
        if isinstance(found, Tag):
            return found
    return soup.body or soup


_MAX_DATA_CELL = 500  # a cell holding more is a layout box around running text


def table_grid(table: Tag) -> list[list[str]]:
    """A <table>'s rows of cells, colspan and rowspan laid out on a grid; a spanned cell's text
    stands once, in its first grid cell."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # cells that rows below are covered by
    for r, tr in enumerate(table.find_all("tr")):
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            text = cell.get_text(" ")
            span = _span(cell, "colspan")
            for down in range(1, _span(cell, "rowspan")):
                for across in range(span):
                    pending[(r + down, len(row) + across)] = ""
            row += [text] + [""] * (span - 1)
        while (r, len(row)) in pending:
            row.append(pending.pop((r, len(row))))
        grid.append(row)
    return grid


def _span(cell: Tag, name: str) -> int:
    value = str(cell.get(name) or "1").strip()
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def data_rows(table: Tag) -> tuple[tuple[str, ...], ...] | None:
    """The rows of a data table; None for a layout table (nested tables, a box of prose, a form)."""
    if table.get("role") == "presentation" or table.find(["table", "form", "input"]):
        return None
    rows = data_table(table_grid(table))
    if rows is None or any(len(cell) > _MAX_DATA_CELL for row in rows for cell in row):
        return None
    return rows


def html_blocks(root: Tag) -> list[Block]:
    """Paragraph texts in order: block tags and <br> separate, a data table is one block."""
    lines = [""]
    tables: dict[int, tuple[tuple[str, ...], ...]] = {}  # line index → a data table there

    def flush() -> None:
        if lines[-1].strip():
            lines.append("")

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                lines[-1] += str(child)
            elif child.name == "br":
                flush()
            elif child.name == "table" and (rows := data_rows(child)) is not None:
                flush()
                caption = child.find("caption")
                if caption is not None and caption.get_text().strip():
                    lines[-1] = caption.get_text(" ")  # the table's title, as a line of text
                    lines.append("")
                tables[len(lines) - 1] = rows
                lines[-1] = table_text(rows)
                lines.append("")
            elif child.name == "tr" and child.find(_INNER_BLOCK) is None:
                flush()
                cells = (c.get_text(" ") for c in child.find_all(["td", "th"], recursive=False))
                lines[-1] += CELL_SEPARATOR.join(normalize_inline(c) for c in cells if c.strip())
                flush()
            elif child.name in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    return [table_block(tables[i]) if i in tables else Block(normalize_inline(text))
            for i, text in enumerate(lines) if i in tables or normalize_inline(text)]


def parse_html(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """An .html page → one Document (metadata table as hints, body as paragraphs)."""
    soup = BeautifulSoup(_decode(path, data), "lxml")
    hints = _hints(info_table(soup), soup)
    for tag in soup(_DROP):
        tag.decompose()
    blocks = html_blocks(_content_root(soup))
    if not blocks:
        raise ParseError(path, "网页中没有正文文字")
    return [build_document(doc_id, blocks, hints, source)]
