"""Terms both paths compute alike from a document or a query: a title as an index term, the
terms of a bulletin issue, and the ranking fields of a record (issue, cites, work).

The write path puts them in the index (:mod:`index.schema`); the search path looks them up
(:mod:`index.search.identifiers`, :mod:`index.search.authority`, :mod:`index.search.ranking`).
A record's *work* is its title, less an article designation (中华人民共和国民法典 第九百四十九条
→ 中华人民共和国民法典), or its bulletin's name.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from index.analysis import normalize_doc_number, normalize_text
from ingest.model import Document

_ARTICLE = re.compile(r"\s*第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?\s*$")
_CITED = re.compile(r"《([^《》\n]{1,120})》")
_SEPARATORS = re.compile(r"[\s,]+")


def issue_terms(year: int | None, number: int | None, total: int | None) -> tuple[str, ...]:
    """The `issue` field terms of a bulletin issue: 2021年第12期, 第12期, 总第38期."""
    out = []
    if number is not None:
        if year is not None:
            out.append(f"{year}年第{number}期")
        out.append(f"第{number}期")
    if total is not None:
        out.append(f"总第{total}期")
    return tuple(out)


def title_key(title: str) -> str:
    """A title as an index term: normalized, no spaces or commas (field separators)."""
    return _SEPARATORS.sub("", normalize_text(title))


def work_title(doc: Document) -> str:
    """The work a document belongs to: its bulletin's name, or its title less 第…条."""
    if doc.bulletin is not None and doc.bulletin.name:
        return doc.bulletin.name
    return _ARTICLE.sub("", doc.title) or doc.title


def cited_titles(doc: Document, own: str | None = None) -> list[str]:
    """Titles the document cites: its references, and a 《…》 in its own title.

    own: the title_key of its work_title, when the caller has it already.
    """
    titles = [r.title for r in doc.references] + _CITED.findall(doc.title)
    if own is None:
        own = title_key(work_title(doc))
    return [t for t in dict.fromkeys(title_key(t) for t in titles) if t and t != own]


def ranking_fields(doc: Document) -> dict[str, Any]:
    """The fields of a document record that ranking reads: issue, cites, work."""
    work = title_key(work_title(doc))
    out: dict[str, Any] = {"work": work}
    cites = cited_titles(doc, work)
    if cites:
        out["cites"] = " ".join(cites)
    if doc.bulletin is not None:
        terms = issue_terms(doc.bulletin.year, doc.bulletin.number, doc.bulletin.total_number)
        name = title_key(doc.bulletin.name)
        if terms:  # 第12期, and 改革快报第12期 for a query that names the bulletin too
            out["issue"] = " ".join(terms + tuple(name + t for t in terms if name))
    return out



def series_id(name: str, office: str | None) -> str:
    """A bulletin series (刊名 + 编印单位) as a short stable id for its URL."""
    key = f"{title_key(name)}|{title_key(office or '')}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
# -- issue 12: what a citation in 《…》 is looked up by ------------------------------------

# What match_key drops (a regex: translate() rebuilds the string even when none is there).
_MARKS = re.compile("[《》〈〉“”\"‘’'「」]")
# A notice that issues a work carries it in 《》 (关于印发《X》的通知): citing 《X》 means it.
_ISSUES = re.compile(r"(?:印发|转发|颁布|发布|公布|出台)[^《》]{0,20}《([^《》\n]{1,120})》")


def match_key(title: str) -> str:
    """A title as typed or cited, for exact matching: title_key without quotes or 《》〈〉."""
    return _MARKS.sub("", title_key(title))


def issued_titles(title: str) -> list[str]:
    """Works a title says it issues: 关于印发《X》的通知 → [X]."""
    return _ISSUES.findall(title)


def title_keys(doc: Document) -> list[str]:
    """The keys a citation or an exact-title query finds the document by."""
    keys = [match_key(doc.title)] + [match_key(t) for t in issued_titles(doc.title)]
    return [k for k in dict.fromkeys(keys) if k]


def citation_fields(doc: Document) -> dict[str, Any]:
    """The record fields that resolve citations: its own title keys, the numbers it cites."""
    out: dict[str, Any] = {}
    keys = title_keys(doc)
    if keys:
        out["titles"] = " ".join(keys)
    numbers = [normalize_doc_number(r.doc_number) for r in doc.references if r.doc_number]
    if numbers:
        out["cites_no"] = " ".join(dict.fromkeys(numbers))
    return out
