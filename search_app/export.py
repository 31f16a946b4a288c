"""Exports: a result list as CSV or XLSX, citations as GB/T 7714 text or RIS."""
from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable

from index import DocumentHit, SearchRequest
from ingest.model import Document, Passage
from search_app.citation import Citation, cite
from search_app.permalinks import document_url
from search_app.present import type_label

if TYPE_CHECKING:  # issue 14: the index's modules load when a search runs here
    from index import Index

COLUMNS = ("标题", "类型", "发文机关", "发文字号", "日期", "期号", "链接", "最佳段落")
MAX_ROWS = 1000  # a result list exports at most this many documents, best first
FORMATS = ("csv", "xlsx", "ris", "txt")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "ris": "application/x-research-info-systems; charset=utf-8",
         "txt": "text/plain; charset=utf-8"}
RIS_TYPES = {"bulletin": "JOUR", "policy": "GOVDOC", "other": "GEN"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so would run in a spreadsheet


def all_hits(index: Index, request: SearchRequest, limit: int = MAX_ROWS) -> Iterator[DocumentHit]:
    """The hits of request from the first, page by page, up to limit."""
    page, per_page, seen = 1, 50, 0
    while seen < limit:
        results = index.search(dataclasses.replace(request, page=page, per_page=per_page))
        for hit in results.hits[:limit - seen]:
            seen += 1
            yield hit
        if page * per_page >= results.total or not results.hits:
            return
        page += 1


def result_rows(hits: Iterator[DocumentHit], base_url: str) -> Iterator[tuple[str, ...]]:
    """One row per hit, in COLUMNS order."""
    for h in hits:
        best = h.passages[0].text if h.passages else ""
        link = document_url(base_url, h.doc_id)
        yield (h.title, type_label(h.doc_type), h.issuer or "", h.doc_number or "",
               h.date.isoformat() if h.date else "", h.issue or "", link, best)


def _cell(value: str) -> str:
    """A text that a spreadsheet shows as text: a leading formula character is quoted."""
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(rows: Iterator[tuple[str, ...]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(tuple(_cell(v) for v in row) for row in rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterator[tuple[str, ...]]) -> bytes:
    import openpyxl  # on first export: a search from the shell does not load it (issue 14)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "检索结果"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([_cell(v) for v in row])
        if row[6].startswith(("http://", "https://")):
            sheet.cell(sheet.max_row, 7).hyperlink = row[6]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_text(citations: list[Citation]) -> bytes:
    """A numbered GB/T 7714 reference list ([1] …), one per line."""
    return "".join(f"[{n}] {c.text}\n" for n, c in enumerate(citations, 1)).encode("utf-8")


def to_ris(items: list[tuple[Document, Citation]]) -> bytes:
    """RIS records (NoteExpress, EndNote, Zotero read them), written by rispy."""
    entries = []
    for doc, c in items:
        entry: dict[str, object] = {"type_of_reference": RIS_TYPES.get(doc.doc_type, "GEN"),
                                    "title": c.title, "language": "zh",
                                    "urls": [u for u in (c.url, c.file_url) if u],
                                    "access_date": c.accessed, "notes": [c.text]}
        if c.authors:
            entry["authors"] = [c.authors]
        if c.year is not None:
            entry["year"] = str(c.year)
        if c.date:
            entry["date"] = c.date.replace("-", "/")
        if c.serial:
            entry["journal_name"] = c.serial
        if c.issue is not None:
            entry["number"] = str(c.issue)
        if c.other_title:
            entry["note"] = c.other_title  # M1: the 发文字号
        if c.page is not None:
            entry["start_page"] = str(c.page)
        entries.append(entry)
    import rispy  # on first export, like openpyxl

    class RisWriter(rispy.RisWriter):
        """rispy's writer without its "1." line before each record (not an RIS tag)."""

        def set_header(self, count: int) -> str:
            return ""

    return rispy.dumps(entries, implementation=RisWriter).encode("utf-8")


def citations(docs: list[tuple[Document, Passage | None]], base_url: str,
              ) -> list[tuple[Document, Citation]]:
    return [(d, cite(d, base_url, p)) for d, p in docs]


WRITERS: dict[str, Callable[[Iterator[tuple[str, ...]]], bytes]] = {"csv": to_csv,
                                                                    "xlsx": to_xlsx}
