"""The facet and sort fields of a record (issue 13), and the keys both paths compute alike.

Facets count sortable columns (one value per record): 文种, the first 发文机关, 刊名, 主题.
A filter on 发文机关 matches one issuing body exactly (`issuers`, every body of a joint
document); its sub-bodies (国务院 → 国务院办公厅) are the old substring match, asked for apart.
`issue_order` sorts a series by its issues; `pub_date` is the 发布日期 a gov site gives.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, FieldType

from index.analysis import normalize_text
from ingest.model import Document

_BODIES = re.compile(r"[\s、，,;；]+")
_SPACES = re.compile(r"\s+")
_DAY = re.compile(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})")


def facet_key(value: str | None) -> str:
    """A facet or filter value as indexed: normalized, spaces dropped."""
    if not value:  # most records lack a topic or a journal
        return ""
    return _SPACES.sub("", normalize_text(value))


def issuer_bodies(issuer: str | None) -> list[str]:
    """The issuing bodies of a (possibly joint) 发文机关, as filter keys."""
    if not issuer:
        return []
    return [facet_key(b) for b in _BODIES.split(normalize_text(issuer)) if b.strip()]


def date_number(value: dt.date | None) -> int:
    """yyyymmdd, 0 when undated (the `date` and `pub_date` columns)."""
    return int(value.strftime("%Y%m%d")) if value else 0


def _publish_date(doc: Document) -> dt.date | None:
    text = doc.extra.get("publish_date")
    m = _DAY.search(text) if text else None
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def issue_order(doc: Document) -> int:
    """A bulletin issue's place in its series (year·10000 + number, else its total number)."""
    b = doc.bulletin
    if b is None:
        return 0
    if b.number is not None:
        return (b.year or 0) * 10000 + b.number
    return b.total_number or 0


def facet_fields() -> dict[str, FieldType]:
    """The schema fields (index.schema.build_schema adds them)."""
    def number() -> NUMERIC:  # one term per value: filters read the column
        return NUMERIC(int, bits=32, sortable=True, shift_step=0)

    return {"kind_key": ID(sortable=True), "issuer_key": ID(sortable=True),
            "issuers": KEYWORD(commas=True, scorable=False), "journal": ID(sortable=True),
            "topic": ID(sortable=True), "issue_order": number(), "pub_date": number()}


def facet_values(doc: Document) -> dict[str, Any]:
    """The facet and sort fields' values of one Document."""
    bodies = issuer_bodies(doc.issuer)
    out: dict[str, Any] = {"kind_key": facet_key(doc.kind),
                           "issuer_key": bodies[0] if bodies else "",
                           "journal": facet_key(doc.bulletin.name if doc.bulletin else ""),
                           "topic": facet_key(doc.extra.get("topic")),
                           "issue_order": issue_order(doc),
                           "pub_date": date_number(_publish_date(doc))}
    if bodies:
        out["issuers"] = ",".join(bodies)
    return {k: v for k, v in out.items() if v != ""}  # an empty ID would index the term ""
