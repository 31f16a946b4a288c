"""JSON Lines (optionally gzipped): one document per line, built for bulk imports."""
from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import Document, ParseError, Source
from ..normalize import Block, fold_document, has_lookalikes, normalize_inline
from ..structure import build_document
from .text import hints_from_fields

_SKIP = {"id", "docid", "text"}  # every other scalar field is a hint or lands in Document.extra
# JSON may escape half of a surrogate pair alone (\ud800): not a character, and no UTF-8 for it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "含不成对的代理字符（\\uD800–\\uDFFF），已替换为 \ufffd"


def _field(record: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and \
                str(value).strip():
            return str(value).strip()
    return None


def _without_surrogates(value: Any) -> Any:
    """value with every lone surrogate in its strings replaced by U+FFFD (json.loads has
    joined the pairs already)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def record_document(path: Path, line: int, record: Any, source: Source) -> Document:
    """One JSON object → a Document; errors name the line."""
    if not isinstance(record, dict):
        raise ParseError(path, f"第 {line} 行：不是 JSON 对象")
    doc_id = _field(record, "id", "docid")
    # STARD/LawRefBook articles carry law + article instead of a title.
    title = _field(record, "title") or (
        f"{record['law']} {record.get('article') or ''}".strip() if _field(record, "law") else None)
    text = record.get("text")
    if doc_id is None:
        raise ParseError(path, f'第 {line} 行：缺少 "id" 字段')
    if not isinstance(text, str) or not text.strip():
        raise ParseError(path, f'第 {line} 行：缺少 "text" 字段（或为空）')
    fields = {k: str(v) for k, v in record.items()
              if k not in _SKIP and isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    if title is not None:
        fields["title"] = title
    else:  # derived from the text's first title-like line; counted in the report
        fields.pop("title", None)
        fields["title_derived"] = "true"
    fields["sample"] = "true" if record.get("sample") is True else ""
    hints = hints_from_fields(path, fields, where=f"第 {line} 行")
    blocks = [Block(t) for t in map(normalize_inline, text.split("\n")) if t]
    return build_document(doc_id, blocks, hints, source)  # type: ignore[arg-type]


def parse_jsonl(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A .jsonl or .jsonl.gz file already in memory → one Document per non-empty line."""
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(path, "不是 gzip 文件（或文件不完整）") from exc
    lines = enumerate(data.split(b"\n"), 1)
    documents = list(jsonl_documents(path, lines, source))
    if not documents:
        raise ParseError(path, "文件中没有记录")
    return documents


BLOCK_LINES = 256  # a file in parts: part k takes every parts-th block of this many lines

# json's messages, in the operator's language (the column is given apart).
_JSON_ERRORS = {
    "Expecting value": "缺少值",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键名必须用双引号",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义（\\）",
    "Extra data": "一行中有多余内容（一行只能有一个 JSON 对象）",
}


def _json_error(number: int, exc: json.JSONDecodeError) -> str:
    what = _JSON_ERRORS.get(exc.msg, exc.msg)
    return f"第 {number} 行：JSON 格式错误（第 {exc.colno} 列，{what}）"


def jsonl_documents(path: Path, lines: Iterable[tuple[int, bytes]], source: Source,
                    part: int = 0, parts: int = 1,
                    warned: list[str] | None = None) -> Iterator[Document]:
    """The documents of the numbered lines in this part's blocks, errors naming the line.

    Lines come one at a time (see ingest.limits.LineReader): a file is never held whole.
    Each document is folded (ingest.normalize.fold_document) where its strings may need it:
    they are its line's, the path's and the parser's own, so a line without a look-alike,
    written or \\u-escaped, gives a document without one (and the JSON round trip is skipped).
    A lone surrogate becomes U+FFFD, and the line is named in warned.
    """
    fold_all = has_lookalikes(source.path)
    for number, raw in lines:
        if parts > 1 and (number - 1) // BLOCK_LINES % parts != part:
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(path, f"第 {number} 行：不是 UTF-8 编码（JSON Lines 文件必须是 UTF-8）"
                             ) from exc
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(path, _json_error(number, exc)) from exc
        if "\\u" in line and _SURROGATE_ESCAPE.search(line):
            valid = _without_surrogates(record)
            if valid != record and warned is not None:
                warned.append(f"第 {number} 行：{LONE_SURROGATE}")
            record = valid
        doc = record_document(path, number, record, source)
        yield fold_document(doc) if fold_all or "\\u" in line or has_lookalikes(line) else doc
