"""Turning the search parameters of a URL (or the CLI) into a SearchRequest, or a clear error."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from index import SCOPES, SORTS, SearchRequest
from ingest.model import DOC_TYPES
from search_app import advanced

# Filters that make an empty query meaningful (browse by type, year, date …).
FILTER_PARAMS = ("type", "kind", "year", "from", "to", "title", "issuer", "doc_number",
                 "journal", "topic", "pub_from", "pub_to", "issue") + advanced.WORD_FIELDS + \
    advanced.NUMBER_FIELDS
# Facet parameters (each may be repeated: one of the values) → SearchRequest.any_of names.
FACET_PARAMS = {"type": "doc_type", "kind": "kind", "issuer": "issuer", "journal": "journal",
                "year": "year", "topic": "topic"}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class ParamError(ValueError):
    """A request parameter that cannot be used; the message names the parameter."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"参数 {param} 无效：{message}")
        self.param = param


def _text(args: Mapping[str, Any], name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _int(args: Mapping[str, Any], name: str, default: int | None,
         low: int, high: int) -> int | None:
    value = _text(args, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ParamError(name, f"应为整数，而不是“{value}”") from None
    if not low <= number <= high:
        raise ParamError(name, f"应在 {low} 到 {high} 之间，而不是 {number}")
    return number


def _date(args: Mapping[str, Any], name: str) -> dt.date | None:
    value = _text(args, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParamError(name, f"应为 YYYY-MM-DD 格式的日期，而不是“{value}”") from None


def _choice(args: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> str | None:
    value = _text(args, name)
    if value is not None and value not in choices:
        raise ParamError(name, f"应为 {' / '.join(choices)} 之一，而不是“{value}”")
    return value


def _bool(args: Mapping[str, Any], name: str, default: bool) -> bool:
    value = _text(args, name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ParamError(name, f"应为 1 或 0，而不是“{value}”")


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    """Every non-blank value of a parameter that may be repeated (a dict gives one)."""
    raw = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    values = raw[0] if len(raw) == 1 and isinstance(raw[0], (list, tuple)) else raw
    return list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))


def _any_of(args: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for param, name in FACET_PARAMS.items():
        values = _values(args, param)
        for v in values:
            if param == "type" and v not in DOC_TYPES:
                raise ParamError(param, f"应为 {' / '.join(DOC_TYPES)} 之一，而不是“{v}”")
            if param == "year" and not (v.isdigit() and 1000 <= int(v) <= 9999):
                raise ParamError(param, f"应为四位数字的年份，而不是“{v}”")
        if values:
            out.append((name, tuple(values)))
    return tuple(out)


def has_filters(args: Mapping[str, Any]) -> bool:
    """True if any filter parameter is given, so that an empty query may browse."""
    return any(_text(args, name) is not None for name in FILTER_PARAMS)


def parse_search_args(args: Mapping[str, Any], config: Mapping[str, Any]) -> SearchRequest:
    """Validate URL-style search parameters against the app settings; raise ParamError."""
    q = advanced.compose_query(args)
    try:
        doc_number = advanced.compose_doc_number(args) or None
    except ValueError as e:
        raise ParamError("dn_serial", str(e)) from None
    if not q and not has_filters(args):
        raise ParamError("q", "请输入检索词")
    if len(q) > config["MAX_QUERY_LENGTH"]:
        raise ParamError("q", f"检索词不能超过 {config['MAX_QUERY_LENGTH']} 个字符")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise ParamError("from", "起始日期晚于截止日期")
    pub_from, pub_to = _date(args, "pub_from"), _date(args, "pub_to")
    if pub_from and pub_to and pub_from > pub_to:
        raise ParamError("pub_from", "发布日期的起始日期晚于截止日期")
    return SearchRequest(
        q=q,
        page=_int(args, "page", 1, 1, config["MAX_PAGE"]),
        per_page=_int(args, "per_page", config["PER_PAGE"], 1, config["MAX_PER_PAGE"]),
        date_from=date_from,
        date_to=date_to,
        title=_text(args, "title"),
        doc_number=doc_number,
        sort=_choice(args, "sort", SORTS) or "relevance",
        passages_per_doc=config["PASSAGES_PER_DOC"],
        expand=_bool(args, "expand", True),
        any_of=_any_of(args),  # issue 13: type, kind, year, issuer … each several values
        issuer_sub=_bool(args, "issuer_sub", False),
        scope=_choice(args, "scope", SCOPES) or "all",
        within=tuple(w for w in dict.fromkeys(_values(args, "within") + (
            _values(args, "within_prev") if _text(args, "in_results") == "1" else [])) if w != q),
        pub_from=pub_from,
        pub_to=pub_to,
        issue=_text(args, "issue"),
        # issue 13: any of the words (not "any": the 高级检索 field of that name holds words)
        any_words=_bool(args, "any_words", False),
    )
