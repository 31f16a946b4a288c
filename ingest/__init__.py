"""Files in, Documents out: parse PDF, DOCX, HTML, text and JSON Lines into ingest.model.Document."""
from __future__ import annotations

from .attachments import link_attachments
from .formats import SUPPORTED_EXTENSIONS
from .model import (BulletinInfo, Document, Item, ParseError, Passage, Reference, Section,
                    Source)
from .normalize import normalize_inline, page_break_joins, repair_page_breaks
from .pipeline import IngestReport, doc_id_for, ingest_paths, iter_source_files, parse_file
from .structure import normalize_doc_number, parse_date

__all__ = [
    "SUPPORTED_EXTENSIONS", "BulletinInfo", "link_attachments", "Document", "IngestReport", "Item", "ParseError",
    "Passage", "Reference", "Section", "Source", "doc_id_for", "ingest_paths",
    "iter_source_files", "normalize_doc_number", "normalize_inline", "page_break_joins",
    "parse_date", "parse_file", "repair_page_breaks",
]
