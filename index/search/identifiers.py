"""Identifiers a user types: 发文字号 (国办发〔2019〕6号) and bulletin issues (2021年第12期, 总第38期).

A query is normalized first (full-width digits and brackets become ASCII, see
:func:`index.analysis.normalize_text`), so one pattern covers 国办发〔2019〕6号, 国办发[2019]6号,
国办发（2019）6号, 国办发【2019】6号 and ``国办发（２０１９）６号``. Each identifier found is taken out
of the query text and searched on its own: the document that *is* it ranks first, documents
that only mention it follow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.analysis import normalize_doc_number
from index.analysis.terms import issue_terms

# After normalize_text: （ → (, ［ → [, ﹝ → 〔; 〔 【 〖 stay as they are.
_OPEN, _CLOSE = r"〔\[(【〖{", r"〕\])】〗}"
DOC_NUMBER_RE = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{1,15}})\s*[{_OPEN}]\s*(?P<year>\d{{4}})\s*[{_CLOSE}]"
    r"\s*第?\s*(?P<num>\d{1,5})\s*号")
ISSUE_RE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<total>总\s*)?第\s*(?P<num>\d{1,5})\s*期"
    r"(?:\s*[(（]\s*总\s*第\s*(?P<total2>\d{1,5})\s*期\s*[)）])?")


@dataclass(frozen=True)
class Identifier:
    """One identifier in a query: kind "doc_number" or "issue", its text, its index terms."""

    kind: str
    text: str  # as typed (normalized), for highlighting and display
    terms: tuple[str, ...]  # index terms, most specific first: any of them is a match


def _doc_number_terms(org: str, year: str, num: str) -> tuple[str, ...]:
    """The number as written, then with shorter issuer prefixes (关于国办发… → 国办发…)."""
    out = []
    for start in range(0, max(1, len(org) - 1)):
        number = normalize_doc_number(f"{org[start:]}〔{year}〕{int(num)}号")
        out.append(number)
    return tuple(dict.fromkeys(out))


def find_identifiers(text: str) -> tuple[list[Identifier], str]:
    """Identifiers in a normalized query, and the query with them blanked out."""
    found: list[tuple[int, Identifier]] = []
    spans: list[tuple[int, int]] = []
    for m in DOC_NUMBER_RE.finditer(text):
        terms = _doc_number_terms(m["org"], m["year"], m["num"])
        found.append((m.start(), Identifier("doc_number", m.group(0), terms)))
        spans.append(m.span())
    for m in ISSUE_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        num = int(m["num"])
        if m["total"]:
            terms = issue_terms(None, None, num)
        else:
            year = int(m["year"]) if m["year"] else None
            total = int(m["total2"]) if m["total2"] else None
            terms = issue_terms(year, num, None)[:1] + issue_terms(None, None, total)
        found.append((m.start(), Identifier("issue", m.group(0), terms)))
        spans.append(m.span())
    rest = list(text)
    for s, e in spans:
        rest[s:e] = " " * (e - s)
    return [ident for _, ident in sorted(found, key=lambda f: f[0])], "".join(rest)
