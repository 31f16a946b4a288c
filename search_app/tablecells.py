"""A table passage's cells for the document page, each with the <mark>s its highlight put there."""
from __future__ import annotations

import html

from ingest.model import CELL_SEPARATOR, Passage


def table_cells(passage: Passage, highlighted: str | None = None) -> list[list[str]]:
    """Rows of cells as escaped HTML (safe to insert); the highlighted passage is split back into
    cells when it lines up with them (a mark across two cells would not: then no marks)."""
    plain = [[html.escape(cell) for cell in row] for row in passage.rows]
    if not highlighted:
        return plain
    marked = [line.split(CELL_SEPARATOR) for line in highlighted.split("\n")]
    if [len(row) for row in marked] != [len(row) for row in passage.rows]:
        return plain
    if any(cell.count("<mark>") != cell.count("</mark>") for row in marked for cell in row):
        return plain
    return marked  # escaped by the highlighter, <mark> its only tags
