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

# After normalize_text: （ → (, ［ → [, ﹝ → 〔; 〔 【 〖 stay as they are; full-width digits
# and the ideographic space are ASCII.
_OPEN, _CLOSE = r"〔\[(【〖{", r"〕\])】〗}"
DOC_NUMBER_RE = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{1,15}})\s*(?:"
    # 国办发〔2019〕4号, 国办发〔2019〕4 (号 left out), 国办发 〔 2019 〕 第 4 号
    rf"[{_OPEN}]\s*(?P<year>\d{{4}})\s*[{_CLOSE}]\s*第?\s*(?P<num>\d{{1,5}})(?!\d)(?:\s*号)?"
    # 国办发2019年4号, 国办发2019 4号: no brackets, so the 号 must be there
    r"|(?P<year2>(?:19|20)\d{2})(?:\s*年\s*|\s+)第?\s*(?P<num2>\d{1,5})\s*号)")
ISSUE_RE = re.compile(
    # 2021年第12期, 2021年12期, 第 12 期, 12期, 总第38期, 2021年第12期（总第38期）
    r"(?<![\d.])(?:(?P<year>\d{4})\s*年\s*)?(?P<total>总\s*)?第?\s*(?P<num>\d{1,5})\s*期"
    r"(?:\s*[(（]\s*总\s*第?\s*(?P<total2>\d{1,5})\s*期\s*[)）])?"
    # 2021-12 and 2021/12, but not a date (2021-12-01) or a range (2019-2021)
    r"|(?<![\d.\-/])(?P<year3>(?:19|20)\d{2})\s*[-/]\s*(?P<num3>\d{1,3})(?![\d\-/.:])")

# Stands for a space inside an identifier while the query is cut at spaces (第 12 期).
SPACE_HOLDER = "\ue000"


@dataclass(frozen=True)
class Identifier:
    """One identifier in a query: kind "doc_number" or "issue", its text, its index terms."""

    kind: str
    text: str  # as typed (normalized), for highlighting and display
    terms: tuple[str, ...]  # index terms, most specific first: any of them is a match
    canonical: str = ""  # as documents print it (国办发〔2019〕4号, 2021年第12期)
    org: str = ""  # a 发文字号's 机关代字 (国办发), for the nearest existing numbers
    year: int | None = None
    number: int | None = None  # 序号, or the issue's number (its total for 总第38期)


def _doc_number_terms(org: str, year: str, num: str) -> tuple[str, ...]:
    """The number as written, then with shorter issuer prefixes (关于国办发… → 国办发…)."""
    out = []
    for start in range(0, max(1, len(org) - 1)):
        number = normalize_doc_number(f"{org[start:]}〔{year}〕{int(num)}号")
        out.append(number)
    return tuple(dict.fromkeys(out))


def join_identifiers(text: str) -> str:
    """The normalized query with the spaces inside its identifiers held (:data:`SPACE_HOLDER`),
    so that cutting it at spaces keeps 第 12 期 and 国办发2019 4号 whole."""
    out = list(text)
    for regex in (DOC_NUMBER_RE, ISSUE_RE):
        for m in regex.finditer(text):
            for i in range(m.start(), m.end()):
                if out[i].isspace() and m.start() < i < m.end() - 1:
                    out[i] = SPACE_HOLDER
    return "".join(out)


def find_identifiers(text: str) -> tuple[list[Identifier], str]:
    """Identifiers in a normalized query, and the query with them blanked out."""
    found: list[tuple[int, Identifier]] = []
    spans: list[tuple[int, int]] = []
    for m in DOC_NUMBER_RE.finditer(text):
        year, num = m["year"] or m["year2"], m["num"] or m["num2"]
        terms = _doc_number_terms(m["org"], year, num)
        found.append((m.start(), Identifier("doc_number", m.group(0).strip(), terms, terms[0],
                                            m["org"], int(year), int(num))))
        spans.append(m.span())
    for m in ISSUE_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        if m["num3"]:
            year, num = int(m["year3"]), int(m["num3"])
            terms = issue_terms(year, num, None)[:1]
        elif m["total"]:
            year, num = None, int(m["num"])
            terms = issue_terms(None, None, num)
        else:
            year = int(m["year"]) if m["year"] else None
            num = int(m["num"])
            total = int(m["total2"]) if m["total2"] else None
            terms = issue_terms(year, num, None)[:1] + issue_terms(None, None, total)
        found.append((m.start(), Identifier("issue", m.group(0).strip(), terms, terms[0],
                                            year=year, number=num)))
        spans.append(m.span())
    rest = list(text)
    for s, e in spans:
        rest[s:e] = " " * (e - s)
    return [ident for _, ident in sorted(found, key=lambda f: f[0])], "".join(rest)
