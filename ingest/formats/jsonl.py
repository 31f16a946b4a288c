"""JSON Lines (optionally gzipped): one document per line, built for bulk imports."""
from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any, Iterator

from ..model import Document, ParseError, Source
from ..normalize import Block, normalize_inline
from ..structure import build_document
from .text import hints_from_fields

_SKIP = {"id", "docid", "text"}  # every other scalar field is a hint or lands in Document.extra


def _field(record: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and \
                str(value).strip():
            return str(value).strip()
    return None


def record_document(path: Path, line: int, record: Any, source: Source) -> Document:
    """One JSON object → a Document; errors name the line."""
    if not isinstance(record, dict):
        raise ParseError(path, f"line {line}: not a JSON object")
    doc_id = _field(record, "id", "docid")
    # STARD/LawRefBook articles carry law + article instead of a title.
    title = _field(record, "title") or (
        f"{record['law']} {record.get('article') or ''}".strip() if _field(record, "law") else None)
    text = record.get("text")
    if doc_id is None:
        raise ParseError(path, f'line {line}: missing "id"')
    if not isinstance(text, str) or not text.strip():
        raise ParseError(path, f'line {line}: missing "text"')
    fields = {k: str(v) for k, v in record.items()
              if k not in _SKIP and isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    if title is not None:
        fields["title"] = title
    else:  # derived from the text's first title-like line; counted in the report
        fields.pop("title", None)
        fields["title_derived"] = "true"
    fields["sample"] = "true" if record.get("sample") is True else ""
    hints = hints_from_fields(path, fields, where=f"line {line}")
    blocks = [Block(t) for t in map(normalize_inline, text.split("\n")) if t]
    return build_document(doc_id, blocks, hints, source)  # type: ignore[arg-type]


def parse_jsonl(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A .jsonl or .jsonl.gz file → one Document per non-empty line."""
    documents = list(jsonl_documents(path, data, source))
    if not documents:
        raise ParseError(path, "no records in file")
    return documents


def jsonl_documents(path: Path, data: bytes, source: Source, part: int = 0,
                    parts: int = 1) -> Iterator[Document]:
    """The documents of lines [part/parts, (part+1)/parts) of the file, errors naming the line."""
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(path, "not a gzip file (or truncated)") from exc
    try:
        lines = data.decode("utf-8-sig").split("\n")
    except UnicodeDecodeError as exc:
        raise ParseError(path, "JSON Lines must be UTF-8") from exc
    lo, hi = len(lines) * part // parts, len(lines) * (part + 1) // parts
    for number in range(lo + 1, hi + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(path, f"line {number}: invalid JSON ({exc.msg})") from exc
        yield record_document(path, number, record, source)
