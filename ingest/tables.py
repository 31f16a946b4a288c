"""Tables as rows of cells: what every format's table finder hands on, and pdfplumber's finder.

A table is kept whole (one passage, never headings) when it is a data table: at least two rows
and two columns with text. A gov site's metadata table (索引号/发文机关/…) is not one: its rows
stay lines of text, where structure/infotable.py reads them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from .normalize import join_lines, normalize_inline, remove_cjk_spaces
from .structure.infotable import LABELS

Rows = tuple[tuple[str, ...], ...]

# pdfplumber's finder on ruled lines only: government tables are ruled, and the "text" strategy
# sees a table in any two columns of aligned words.
PDF_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                                "snap_tolerance": 3, "join_tolerance": 3,
                                "intersection_tolerance": 3}
_MIN_ON_PAGE = 0.95  # share of the characters inside a table's box that its cells must account for
_MAX_RULES = 2000  # the finder's cost grows with the strokes it intersects …
_MAX_GRID = 2500  # … and with the cells of the grid they span (50 x 50 is no page's table)
_INFO_LABELS = 2  # this many metadata labels as cells make a site's info table


def cell_text(text: Optional[str]) -> str:
    """A cell's text on one line: wrapped lines joined, spaces and widths normalized."""
    if not text:
        return ""
    out = ""
    for line in text.splitlines():
        out = join_lines(out, normalize_inline(line))
    return remove_cjk_spaces(normalize_inline(out))  # 总 计, 燃 料 种 类: spaced to fill a cell


def clean_rows(rows: Sequence[Sequence[Optional[str]]]) -> Rows | None:
    """Cells normalized, empty rows and columns dropped; None unless ≥ 2 rows and ≥ 2 columns."""
    width = max((len(row) for row in rows), default=0)
    grid = [[cell_text(row[i]) if i < len(row) else "" for i in range(width)] for row in rows]
    grid = [row for row in grid if any(row)]
    keep = [i for i in range(width) if any(row[i] for row in grid)]
    if len(grid) < 2 or len(keep) < 2:
        return None
    return tuple(tuple(row[i] for i in keep) for row in grid)


def is_info_table(rows: Sequence[Sequence[str]]) -> bool:
    """A site's metadata table: two or more cells are, or open with, its labels (发文机关,
    发文字号：… )."""
    found = set()
    for cell in (c for row in rows for c in row):
        squeezed = "".join(cell.split())
        label = squeezed.split("：", 1)[0].split(":", 1)[0]
        if label in LABELS:
            found.add(label)
    return len(found) >= _INFO_LABELS


def data_table(rows: Sequence[Sequence[Optional[str]]]) -> Rows | None:
    """The rows of a data table (cleaned), or None for a layout box or a metadata table."""
    cleaned = clean_rows(rows)
    return None if cleaned is None or is_info_table(cleaned) else cleaned


def _squeeze(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class PdfTable:
    """A table found on a PDF page: its box (x0, top, x1, bottom) and its rows."""

    bbox: tuple[float, float, float, float]
    rows: Rows


def pdf_tables(page: Any) -> list[PdfTable]:
    """The page's ruled data tables, top to bottom, each checked against the page's own text.

    A table is accepted when its cells account for the characters printed inside its box (a
    finder that cut or invented text would not), so that removing the box from the running
    text loses nothing.
    """
    found: list[PdfTable] = []
    rules = len(page.lines) + len(page.rects)
    if not rules or rules > _MAX_RULES or not page.chars:
        return found  # no ruling or no text, no table; a drawing's strokes are no table either
    edges = page.edges
    xs = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    ys = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    if len(xs) * len(ys) > _MAX_GRID:
        return found  # a chart's or a form's fine grid: the finder would take seconds a page

    try:
        candidates = [(table, table.extract()) for table in page.find_tables(PDF_SETTINGS)]
    except Exception:  # noqa: BLE001 - odd geometry must not cost the page its text: lines then
        return found
    for table, raw in candidates:
        # Rows of one cell at the box's top or foot are often text the ruling happens to enclose
        # (a report's prose above its table): they go back to the running text.
        full = [i for i, row in enumerate(raw) if sum(1 for c in row if c and c.strip()) >= 2]
        if not full:
            continue
        first, last = full[0], full[-1]
        rows = data_table(raw[first:last + 1])
        if rows is None:
            continue
        bbox = (table.bbox[0], table.rows[first].bbox[1], table.bbox[2], table.rows[last].bbox[3])
        printed = Counter(_squeeze(normalize_inline(
            "".join(c["text"] for c in page.chars if inside(c, bbox)))))
        cells = Counter(_squeeze("".join("".join(row) for row in rows)))
        total = sum(printed.values())
        if total and sum((printed & cells).values()) >= _MIN_ON_PAGE * total:
            found.append(PdfTable(bbox, rows))
    return sorted(found, key=lambda t: t.bbox[1])


def inside(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    """Whether a character's centre lies in the box."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def continue_table(first: Rows, second: Rows) -> Rows | None:
    """A table cut by a page break, as one (the repeated header row dropped); None if not one."""
    if len(first[0]) != len(second[0]):
        return None
    return first + (second[1:] if second[0] == first[0] else second)
