"""An identifier no document is: say so, and offer the nearest numbers that exist.

For a 发文字号 the neighbours share its 机关代字 (the longest tail of what was typed that the
index knows: 根据国办发 → 国办发), nearest year first, then nearest 序号; for an issue number
they are issues of the series the query names (改革快报 第99期), else of any series, nearest
first. The lists come from the index's own terms (:mod:`index.search.vocabulary`).
"""
from __future__ import annotations

import re

from index.search.identifiers import Identifier
from index.search.scoring import Corpus
from index.search.vocabulary import field_values
from index.types import MissingIdentifier

NEAREST = 5
_NUMBER = re.compile(r"(?P<org>.+?)〔(?P<year>\d{4})〕(?P<num>\d+)号")
_ISSUE = re.compile(r"(?P<name>.*?)(?:(?P<year>\d{4})年)?(?P<total>总)?第(?P<num>\d+)期")


def _is_it(corpus: Corpus, ident: Identifier) -> bool:
    field = "doc_number" if ident.kind == "doc_number" else "issue"
    return any(corpus.docs[corpus.postings(field, t)[0]].any() for t in ident.terms)


def missing(corpus: Corpus, idents: list[Identifier],
            names: list[str]) -> tuple[MissingIdentifier, ...]:
    """The identifiers of a query that no live document is, each with its nearest neighbours.

    ``names``: the query's other words, as a bulletin's name might be (改革快报).
    """
    out = []
    for ident in idents:
        if _is_it(corpus, ident):
            continue
        if ident.kind == "doc_number":
            out.append(MissingIdentifier(
                "doc_number", ident.canonical, f"没有发文字号为 {ident.canonical} 的文件",
                _nearest_numbers(field_values(corpus, "doc_number"), ident)))
        else:
            values = field_values(corpus, "issue")
            series = {m["name"] for v in values if (m := _ISSUE.fullmatch(v))}
            name = next((n for n in names if n in series), "")  # 改革快报, if the query names it
            label = name + ident.canonical
            out.append(MissingIdentifier("issue", label, f"没有期号为 {label} 的简报",
                                         _nearest_issues(values, ident, name)))
    return tuple(out)


def _nearest_numbers(values: list[str], ident: Identifier) -> tuple[str, ...]:
    parsed = [(m["org"], int(m["year"]), int(m["num"]), v)
              for v in values if (m := _NUMBER.fullmatch(v))]
    orgs = {org for org, *_ in parsed}
    org = next((ident.org[i:] for i in range(len(ident.org)) if ident.org[i:] in orgs), None)
    if org is None:
        return ()
    same = [(abs(year - ident.year), abs(num - ident.number), year, num, v)
            for o, year, num, v in parsed if o == org]
    return tuple(v for *_, v in sorted(same)[:NEAREST])


def _nearest_issues(values: list[str], ident: Identifier, name: str) -> tuple[str, ...]:
    total = ident.canonical.startswith("总")
    found = []
    for v in values:
        m = _ISSUE.fullmatch(v)
        if m is None or m["name"] != name or bool(m["total"]) != total:
            continue
        if not total and (ident.year is not None) != (m["year"] is not None):
            continue
        year_gap = abs(int(m["year"]) - ident.year) if ident.year and m["year"] else 0
        found.append((year_gap, abs(int(m["num"]) - ident.number), v))
    return tuple(v for *_, v in sorted(found)[:NEAREST])
