"""The advanced search fields (高级检索, the gov.cn allpro/orpro/inpro/notpro set) as a query.

The form, the API and the CLI give the same fields; they become one query in the syntax the
search box reads (index.search.syntax), so the results page shows what was searched and the
box can edit it. 发文字号 typed as 机关代字 + 年份 + 序号 becomes one number (a prefix when
partial).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The fields that are composed into q or doc_number (the rest pass through as they are).
WORD_FIELDS = ("all", "any", "phrase", "not")
NUMBER_FIELDS = ("agency", "dn_year", "dn_serial")
_SPECIAL = re.compile(r'["“”()（）|｜]')


def _value(args: Mapping[str, Any], name: str) -> str:
    return str(args.get(name) or "").strip()


def _words(text: str) -> list[str]:
    """The words of a field: operators' characters dropped, OR/NOT read as words."""
    return [w for w in _SPECIAL.sub(" ", text).split() if w not in ("OR", "AND", "NOT", "-")]


def compose_query(args: Mapping[str, Any]) -> str:
    """q followed by the all / any / phrase / not fields, in the search box's syntax."""
    parts = [_value(args, "q")] if _value(args, "q") else []
    parts += _words(_value(args, "all"))
    anyof = _words(_value(args, "any"))
    if anyof:
        parts.append(anyof[0] if len(anyof) == 1 else "(" + " OR ".join(anyof) + ")")
    phrase = _SPECIAL.sub(" ", _value(args, "phrase")).strip()
    if phrase:
        parts.append(f'"{phrase}"')
    parts += [f"-{w}" for w in _words(_value(args, "not"))]
    return " ".join(parts)


def compose_doc_number(args: Mapping[str, Any]) -> str:
    """doc_number, or 机关代字 + 〔年份〕 + 序号号 (a prefix when only the first parts are given)."""
    agency, year, serial = (_value(args, n) for n in NUMBER_FIELDS)
    if not (agency or year or serial):
        return _value(args, "doc_number")
    if serial and not year or year and not agency:
        raise ValueError("发文字号请按 机关代字、年份、序号 的顺序填写，例如 国办发、2019、6")
    number = agency + (f"〔{year}〕" if year else "") + (f"{serial.rstrip('号')}号" if serial else "")
    return number


def is_advanced(args: Mapping[str, Any]) -> bool:
    """Whether any field to compose is given (the page then redirects to the plain URL)."""
    return any(_value(args, n) for n in WORD_FIELDS + NUMBER_FIELDS)
