"""Narrowing a search on its page (issue 13): facets to tick, chips to remove, what a new
query keeps.

The current search's parameters are read once from the URL, several values per facet. A facet
value's link adds or removes exactly that value; a chip removes exactly one filter; the search
box carries every filter as hidden inputs (so a new query keeps them) and offers 结果中检索,
which adds the current query to ``within``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from index import SearchResults
from search_app import present

# Parameters a search keeps across paging, sorting and a new query (q and page are not kept).
KEPT = ("type", "kind", "issuer", "issuer_sub", "journal", "year", "topic", "from", "to",
        "pub_from", "pub_to", "title", "doc_number", "issue", "scope", "sort", "per_page",
        "expand", "within")
FACETS = (("type", "doc_type", "类型"), ("kind", "kind", "文种"), ("issuer", "issuer", "发文机关"),
          ("journal", "journal", "刊名"), ("year", "year", "年份"), ("topic", "topic", "主题"))
TOP = 8  # values shown before 更多
LEVELS = ("中央", "国务院部门", "地方", "其他")
_LOCAL = re.compile(r"省|自治区|市|州|县|盟|旗|区(?!域)")
_CENTRAL = ("中共中央", "国务院", "全国人民代表大会", "全国人大", "中央", "最高人民")
_DEPARTMENT = re.compile(r"(部|委员会|委|总局|局|署|院|办公室|银行|总署)$")
_LABELS = {"from": "成文日期起", "to": "成文日期止", "pub_from": "发布日期起", "pub_to": "发布日期止",
           "title": "标题含", "doc_number": "发文字号", "issue": "期号"}
_SCOPES = {"title": "只检索标题", "body": "只检索正文"}


def issuer_level(name: str) -> str:
    """中央 / 国务院部门 / 地方 / 其他, from the name alone."""
    if _LOCAL.search(name) and not name.startswith(_CENTRAL):
        return "地方"
    if name.startswith(_CENTRAL):
        return "中央"
    return "国务院部门" if _DEPARTMENT.search(name) else "其他"


def current() -> dict[str, list[str]]:
    """The current search's kept parameters, several values each; 结果中检索 resolved."""
    args = request.args
    out = {k: vs for k in KEPT if k != "within"
           if (vs := [v.strip() for v in args.getlist(k) if v.strip()])}
    within = [v.strip() for v in args.getlist("within") if v.strip()]
    if args.get("in_results") == "1":
        within += [v.strip() for v in args.getlist("within_prev") if v.strip()]
    within = [w for w in dict.fromkeys(within) if w != args.get("q", "").strip()]
    if within:
        out["within"] = within
    return out


def url(params: dict[str, list[str]], q: str | None = None) -> str:
    q = request.args.get("q", "").strip() if q is None else q
    return url_for("views.search", **({"q": q} if q else {}), **params)


def toggle_url(param: str, value: str) -> str:
    """The search with one facet value added, or removed if chosen (page back to 1)."""
    params = current()
    values = params.get(param, [])
    params[param] = [v for v in values if v != value] if value in values else values + [value]
    return url({k: v for k, v in params.items() if v})


def without(param: str, value: str | None = None) -> str:
    """The search without one value of a parameter (or without the parameter)."""
    params = current()
    params[param] = [v for v in params.get(param, []) if value is not None and v != value]
    return url({k: v for k, v in params.items() if v})


@dataclass(frozen=True)
class FacetValue:
    label: str
    value: str
    count: int
    chosen: bool
    url: str


@dataclass(frozen=True)
class FacetGroup:
    heading: str
    param: str
    values: tuple[FacetValue, ...]  # the first TOP shown, the rest under 更多
    # 发文机关 by level: (level, the first TOP, the rest under 更多)
    levels: tuple[tuple[str, tuple[FacetValue, ...], tuple[FacetValue, ...]], ...] = ()

    @property
    def top(self) -> tuple[FacetValue, ...]:
        return self.values[:TOP]

    @property
    def more(self) -> tuple[FacetValue, ...]:
        return self.values[TOP:]


def _label(param: str, value: str) -> str:
    if param == "type":
        return present.type_label(value)
    return f"{value}年" if param == "year" else value


def facet_groups(results: SearchResults) -> list[FacetGroup]:
    """The facets with counts for the current query; chosen values stay listed (ticked)."""
    params = current()
    groups = []
    for param, name, heading in FACETS:
        counts = dict(results.facets.get(name) or {})
        for v in params.get(param, []):
            counts.setdefault(v, 0)
        if param == "year":
            ordered = sorted(counts.items(), key=lambda kv: str(kv[0]), reverse=True)
        else:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        chosen = params.get(param, [])
        values = tuple(FacetValue(_label(param, str(k)), str(k), n, str(k) in chosen,
                                  toggle_url(param, str(k))) for k, n in ordered)
        if not values:
            continue
        levels = ()
        if param == "issuer":
            levels = tuple((lv, vs[:TOP], vs[TOP:]) for lv in LEVELS
                           if (vs := tuple(v for v in values if issuer_level(v.value) == lv)))
        groups.append(FacetGroup(heading, param, values, levels))
    return groups


def chips() -> list[tuple[str, str]]:
    """(label, url without exactly that filter) for every filter of the current search."""
    params, out = current(), []
    for param, _, heading in FACETS:
        for v in params.get(param, []):
            out.append((f"{heading}：{_label(param, v)}", without(param, v)))
    if "issuer_sub" in params and params["issuer_sub"] != ["0"]:
        out.append(("含下属机构", without("issuer_sub")))
    for param, label in _LABELS.items():
        for v in params.get(param, []):
            out.append((f"{label}：{v}", without(param, v)))
    for v in params.get("scope", []):
        if v in _SCOPES:
            out.append((_SCOPES[v], without("scope")))
    for v in params.get("within", []):
        out.append((f"在“{v}”的结果中", without("within", v)))
    return out


def hidden_inputs() -> list[tuple[str, str]]:
    """The search box's hidden inputs: every kept parameter but the 结果中检索 chain."""
    return [(k, v) for k, vs in current().items() if k != "within" for v in vs]


def clear_url() -> str:
    """The query alone, every filter dropped (清除条件)."""
    return url({})


def register(bp: Any) -> None:
    """Make these helpers template globals of the views blueprint."""
    for name, fn in (("facet_groups", facet_groups), ("filter_chips", chips),
                     ("kept_inputs", hidden_inputs), ("clear_url", clear_url),
                     ("current_within", lambda: current().get("within", []))):
        bp.add_app_template_global(fn, name)
