"""Plain text and Markdown: encoding detection, front matter, one paragraph per line."""
from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path

import charset_normalizer

from ..model import DOC_TYPES, Document, ParseError, Source
from ..normalize import CJK, CJK_PUNCT, Block, normalize_inline, repair_page_breaks
from ..structure import Hints, build_document, normalize_doc_number, parse_date
from ..structure.law import is_lawrefbook, law_document

UNDECODABLE = "cannot decode text (tried UTF-8, GB18030)"
_BIG5 = {"big5", "big5hkscs", "cp950"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PLAUSIBLE = re.compile(rf"[{CJK}{CJK_PUNCT}\x20-\x7e\s\u00a0-\u00ff\u2000-\u2bff\u3000-\u33ff"
                        r"\ufe30-\ufe4f\uff00-\uffef]")
# A lone ideograph between Latin letters (caf閍u) is what Latin-1 text read as GB18030 looks like.
_LONE_HAN = re.compile(rf"(?<=[A-Za-z])[{CJK}](?=[A-Za-z])")
_HAN = re.compile(f"[{CJK}]")
_FRONT_KEYS = {"title", "doc_type", "date", "issuer", "doc_number", "sample", "kind"}
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _plausible(text: str) -> bool:
    """Decoded text made of Chinese, ASCII and punctuation, not of mojibake."""
    sample = text[:20000]
    if not sample:
        return True
    if len(_PLAUSIBLE.findall(sample)) / len(sample) < 0.97:
        return False
    han = len(_HAN.findall(sample))
    return han == 0 or len(_LONE_HAN.findall(sample)) / han < 0.2


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK or Big5; never a garbled guess."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(path, data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ParseError(path, UNDECODABLE) from exc
    try:
        return _checked(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    guess = best.encoding.lower().replace("_", "") if best is not None else ""
    encodings = ["big5", "gb18030"] if guess in _BIG5 else ["gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return _checked(path, text)
    raise ParseError(path, UNDECODABLE)


def _checked(path: Path, text: str) -> str:
    if len(_CONTROL.findall(text[:20000])) > max(2, len(text[:20000]) // 200):
        raise ParseError(path, UNDECODABLE)
    return text.lstrip("\ufeff")


def split_front_matter(path: Path, text: str) -> tuple[dict[str, str], str]:
    """`---` / key: value lines / `---` at the very top → (fields, the rest of the text)."""
    stripped = text.lstrip()
    if not stripped.startswith("---"):
        return {}, text
    lines = stripped.splitlines()
    if lines[0].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return fields, "\n".join(lines[i + 1:])
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            return {}, text  # not front matter after all: a rule line in the text
        fields[key.strip().lower()] = value.strip().strip("\"'")
    return {}, text


def hints_from_fields(path: Path, fields: dict[str, str], where: str = "front matter") -> Hints:
    """Front matter or JSON fields → Hints, with a clear error for a bad value."""
    doc_type = fields.get("doc_type") or None
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ParseError(path, f"{where}: doc_type must be one of {', '.join(DOC_TYPES)}")
    date = None
    if fields.get("date"):
        date = parse_date(str(fields["date"]))
        if date is None:
            raise ParseError(path, f"{where}: cannot read date {fields['date']!r}")
    number = fields.get("doc_number") or None
    sample = str(fields.get("sample", "")).strip().lower() in {"true", "yes", "1"}
    extra = {k: str(v) for k, v in fields.items() if k not in _FRONT_KEYS and v}
    return Hints(title=fields.get("title") or None, doc_type=doc_type, date=date,
                 issuer=fields.get("issuer") or None,
                 doc_number=(normalize_doc_number(number) or number) if number else None,
                 kind=fields.get("kind") or None, sample=sample, extra=extra)


def text_blocks(text: str, markdown: bool = False) -> list[Block]:
    """One block per non-empty line, normalized (Markdown heading marks and comments dropped)."""
    if markdown:
        text = _MD_COMMENT.sub("", text)
    blocks = []
    for line in text.splitlines():
        if markdown:
            line = _MD_HEADING.sub("", line)
        line = normalize_inline(line)
        if line:
            blocks.append(Block(line))
    return blocks


def parse_text(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A .txt or .md file → one Document."""
    text = decode_text(path, data)
    fields, body = split_front_matter(path, text)
    hints = hints_from_fields(path, fields)
    markdown = path.suffix.lower() in {".md", ".markdown"}
    if markdown and not fields and is_lawrefbook(body):
        return [law_document(doc_id, path, body, source)]
    if markdown and hints.title is None:
        first = re.search(r"^#\s+(.+)$", body, re.M)
        if first:
            hints = replace(hints, fallback_title=normalize_inline(first.group(1)))
    blocks, _ = repair_page_breaks(text_blocks(body, markdown))
    if not blocks:
        raise ParseError(path, "no text in file")
    return [build_document(doc_id, blocks, hints, source)]
