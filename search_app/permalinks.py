"""Stable addresses: a document, a passage that outlives re-indexing, an original file.

A passage's permalink is /documents/<doc_id>/passages/<key>, key = its id and a digest of its
text (p12-3fa9c1). Re-indexing an unchanged file gives the same ids and texts, so the same key;
when the file changed, resolve() finds the passage by its text, else the one at its place, and
says so, instead of silently landing on a different paragraph.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import quote

from ingest.model import Document, Passage, Source

KEY = re.compile(r"^(p\d+)(?:-([0-9a-f]{6}))?$")
NOTES = {
    "changed": "原文件更新后，所引段落的内容已有变动：下面标出的是原位置上的段落，请核对。",
    "moved": "原文件更新后，所引段落已移到新的位置：下面标出的是它现在的位置。",
    "gone": "原文件更新后，所引段落已不在本文中：请从文首查看全文。",
}


def digest(text: str) -> str:
    """Six hex digits of the passage text's SHA-256 (NFC, so one spelling of a character)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode()).hexdigest()[:6]


def passage_key(passage: Passage) -> str:
    """p12-3fa9c1: the passage's id and its text's digest."""
    return f"{passage.id}-{digest(passage.text)}"


def document_url(base_url: str, doc_id: str) -> str:
    return f"{base_url.rstrip('/')}/documents/{quote(doc_id, safe='/')}"


def passage_url(base_url: str, doc: Document, passage: Passage) -> str:
    return f"{document_url(base_url, doc.doc_id)}/passages/{passage_key(passage)}"


def download_name(source: Source) -> str:
    """The file's own name (the path may come from another system's separators)."""
    return PurePath(source.path.replace("\\", "/")).name or f"{source.sha256}.{source.format}"


def file_url(base_url: str, source: Source, page: int | None) -> str:
    """/files/<sha256>/<name>, at the page for a PDF (#page=N, which PDF viewers follow)."""
    at = f"#page={page}" if page is not None and source.format == "pdf" else ""
    return (f"{base_url.rstrip('/')}/files/{source.sha256}/"
            f"{quote(download_name(source), safe='')}{at}")


def original_for(doc: Document, page: int | None = None) -> Source | None:
    """The original to open: the PDF when a page is cited (its pages are the ones counted)."""
    kept = [s for s in doc.originals if s.sha256]
    if page is not None:
        pdfs = [s for s in kept if s.format == "pdf"]
        kept = pdfs or kept
    return kept[0] if kept else None


@dataclass(frozen=True)
class Resolved:
    """Where an old permalink leads: a passage id (None: the document's top) and a note."""

    passage_id: str | None
    note: str | None  # a key of NOTES, None when the passage is the one cited


def resolve(doc: Document, key: str) -> Resolved | None:
    """The passage a permalink key names in the current doc; None if key is not a key."""
    match = KEY.match(key)
    if match is None:
        return None
    pid, want = match.groups()
    passages = list(doc.passages())
    by_id = {p.id: p for p in passages}
    here = by_id.get(pid)
    if here is not None and (want is None or digest(here.text) == want):
        return Resolved(pid, None)
    moved = next((p for p in passages if digest(p.text) == want), None)
    if moved is not None:
        return Resolved(moved.id, "moved")
    if here is not None:
        return Resolved(pid, "changed")
    return Resolved(None, "gone")
