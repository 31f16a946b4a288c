"""The stored Document: what one record keeps to show a hit, its passages and its page.

A record stores the whole Document (every passage, table and page number), read back only
for the hits being shown. Kept as JSON, one per record, it was the index's largest part:
whoosh compresses each record alone, so the keys every record repeats and the sources
named twice cost as much as the text. Here a record is

* the Document's JSON without what :meth:`Document.from_dict` recomputes or defaults (the
  derived ``references`` and ``attachment_label``, ``sources`` when it is just ``source``,
  a table passage's text when it is its rows joined, null / false / empty values),
* encoded in GB18030 (two bytes for a common Han character, where UTF-8 takes three; it
  encodes every Unicode scalar value, and ASCII-escaped JSON when a string holds a lone
  surrogate),
* deflated with a preset dictionary of the keys and words records share (:data:`_ZDICT`),
  so that even a one-line record pays for its keys only once per index, not once per record,
* in base64 (see :func:`pack_document`).

Changing any of this (the dictionary included) changes what is stored: bump SCHEMA_VERSION.
"""
from __future__ import annotations

import json
import zlib
from base64 import b64decode, b64encode
from typing import Any

from ingest.model import Document, table_text

ENCODING = "gb18030"
LEVEL = 6  # zlib level: 9 saves under 1 % more on records this short, at twice the time
_WBITS = -15  # raw deflate: the record's length and checksum are the column's business
# Keys and values records share, in the order to_dict writes them, and words official
# documents repeat. The most common strings sit at the end (the shortest distance back).
_ZDICT = (
    "中华人民共和国国务院办公厅关于印发的通知意见办法规定条例实施细则暂行决定批复函"
    "人民政府委员会部门单位有关工作管理建设发展服务社会经济国家地方省市县区应当依法按照"
    "第一条第二条第三条第四条第五条第六条第七条第八条第九条第十条第十一条第十二条"
    '"kind":"bulletin":{"name":"issue":"year":"number":"total":"office":"date":"recipients":'
    '{"主送":["抄送":["citations":[{"title":"doc_number":"items":[{"label":"title":"passage_id":'
    '"page":"section_path":["ocr":true,"rows":[["attachment_of":{"number":"attachments":[{'
    '"ocr_pages":["extra":{"law":"article":"source_file":"version_date":"supplement":"增刊"'
    '"doc_type":"other","bulletin","policy","title":"date":"issuer":"doc_number":'
    '"sample":true,"source":{"path":"format":"jsonl","pdf","docx","text","html","sha256":"'
    '"sources":[{"path":"format":"sha256":"'
    '{"doc_id":"title":"doc_type":"other","sections":[{"heading":"","level":0,'
    '"passages":[{"id":"p1","text":"'
).encode(ENCODING)
_DERIVED = ("references", "attachment_label")  # from_dict rebuilds them from other keys
# json.dumps with options builds an encoder per call: one, kept, writes the same text.
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _kept(d: dict[str, Any]) -> dict[str, Any]:
    """d without null, false and empty values (inline: it runs for every key of every record)."""
    return {k: v for k, v in d.items()
            if v is not None and v is not False and v != [] and v != {}}


def _compact_passage(p: dict[str, Any]) -> dict[str, Any]:
    out = _kept(p)
    if p["rows"] and p["text"] == table_text(p["rows"]):
        del out["text"]  # a table's text is its rows joined (ingest.model.table_text)
    return out


def _compact(doc: Document) -> dict[str, Any]:
    """The JSON object of doc, without what Document.from_dict rebuilds or defaults."""
    d = doc.to_dict()
    for key in _DERIVED:
        d.pop(key, None)
    if d["sources"] and d["sources"] == [d["source"]]:
        del d["sources"]  # one source is `source` (from_dict ignores a lone one)
    for s in d["sections"]:  # to_dict's own dicts: changed in place
        s["passages"] = [_compact_passage(p) for p in s["passages"]]
        if not s["items"]:
            del s["items"]
        if not s["passages"]:
            del s["passages"]
    return _kept(d)


def pack_document(doc: Document) -> str:
    """The stored form of doc (see the module docstring)."""
    compact = _compact(doc)
    try:
        raw = _COMPACT_JSON.encode(compact).encode(ENCODING)
    except UnicodeEncodeError:  # a lone surrogate: JSON escapes keep it, in ASCII
        raw = json.dumps(compact, separators=(",", ":")).encode(ENCODING)
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, _WBITS, 9, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    # whoosh pickles stored fields with protocol 2, where bytes take up to twice their size
    # and a str of base64 its own (its compression of each record takes the 4/3 back).
    return b64encode(packer.compress(raw) + packer.flush()).decode("ascii")


def unpack_dict(stored: str) -> dict[str, Any]:
    """The JSON object a stored record holds: Document.to_dict's keys that from_dict reads
    (null and empty values left out), ``sources`` always listing the files."""
    unpacker = zlib.decompressobj(_WBITS, _ZDICT)
    raw = unpacker.decompress(b64decode(stored)) + unpacker.flush()
    d = json.loads(raw.decode(ENCODING))
    if "sources" not in d and d.get("source"):
        d["sources"] = [d["source"]]  # to_dict's: the one source is also the list of files
    for s in d.get("sections") or ():
        for p in s.get("passages") or ():
            if "text" not in p:
                p["text"] = table_text(p.get("rows") or ())
    return d


def unpack_document(stored: str) -> Document:
    """The Document pack_document stored."""
    return Document.from_dict(unpack_dict(stored))


def stored_document(stored: dict[str, Any]) -> Document:
    """The Document of a record's stored fields (a searcher's ``stored_fields(n)``)."""
    return unpack_document(stored["doc"])
