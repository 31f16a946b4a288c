"""Files in, Documents out: parse PDF, DOCX, HTML, text and JSON Lines into ingest.model.Document."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .attachments import link_attachments
    from .formats import SUPPORTED_EXTENSIONS
    from .model import (BulletinInfo, Document, Item, ParseError, Passage, Reference, Section,
                        Source)
    from .normalize import normalize_inline, page_break_joins, repair_page_breaks
    from .pipeline import IngestReport, doc_id_for, ingest_paths, iter_source_files, parse_file
    from .structure import normalize_doc_number, parse_date

# Imported on first use (issue 14): `import ingest.model`, which the index and a search from
# the shell need, must not load every format's parser and the structure rules.
_HOMES = {
    "SUPPORTED_EXTENSIONS": "formats",
    "link_attachments": "attachments",
    **dict.fromkeys(("BulletinInfo", "Document", "Item", "ParseError", "Passage", "Reference",
                     "Section", "Source"), "model"),
    **dict.fromkeys(("normalize_inline", "page_break_joins", "repair_page_breaks"), "normalize"),
    **dict.fromkeys(("IngestReport", "doc_id_for", "ingest_paths", "iter_source_files",
                     "parse_file"), "pipeline"),
    **dict.fromkeys(("normalize_doc_number", "parse_date"), "structure"),
}

__all__ = [
    "SUPPORTED_EXTENSIONS", "BulletinInfo", "link_attachments", "Document", "IngestReport", "Item", "ParseError",
    "Passage", "Reference", "Section", "Source", "doc_id_for", "ingest_paths",
    "iter_source_files", "normalize_doc_number", "normalize_inline", "page_break_joins",
    "parse_date", "parse_file", "repair_page_breaks",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
