"""The HTML pages: the search page and the document page, in Chinese."""
from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for

from index import QueryError, SearchResults
from search_app import advanced, archive, citations, present, refine
from search_app.params import ParamError, has_filters, parse_search_args
from search_app.store import get_index
from search_app.tablecells import table_cells

bp = Blueprint("views", __name__)

# Parameters a search link carries over from the current page.
SEARCH_PARAMS = ("q", "type", "kind", "year", "from", "to", "title", "issuer",
                 "doc_number", "sort", "per_page", "expand")
SEARCH_PARAMS += ("any_words",)  # issue 13: any of the words


bp.add_app_template_filter(present.cn_date, "cn_date")
bp.add_app_template_filter(present.type_label, "type_label")
bp.add_app_template_filter(present.page_label, "page_label")
bp.add_app_template_global(present.SAMPLE_BADGE, "sample_badge")
bp.add_app_template_global(present.repeat_label, "repeat_label")
bp.add_app_template_global(table_cells, "table_cells")
bp.add_app_template_filter(citations.cite_links, "cite_links")  # issue 12
bp.add_app_template_filter(citations.excerpt, "cite_excerpt")
refine.register(bp)  # issue 13: facets, chips, kept filters


@bp.app_template_global()
def search_url(**changes: Any) -> str:
    """The current search with some parameters changed (None removes one; page resets)."""
    params: dict[str, Any] = dict(refine.current())  # issue 13: several values, 结果中检索
    params.update({k: v for k in SEARCH_PARAMS if k not in refine.KEPT
                   if (v := request.args.get(k, "").strip())})
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    return url_for("views.search", **params)


@bp.get("/")
@bp.get("/search")
def search() -> tuple[str, int]:
    """The search box, and the results when a query or filter is given."""
    q = advanced.compose_query(request.args)  # q, with any 高级检索 words (all=, any= …)
    context: dict[str, Any] = {"q": q, "sort_labels": present.SORT_LABELS}
    if not q and not has_filters(request.args):
        context.update(archive.home_context())  # issue 12: series and latest issues
        return render_template("search.html", **context), 200
    try:
        search_request = parse_search_args(request.args, current_app.config)
        results = get_index().search(search_request)
    except ParamError as e:
        return render_template("search.html", error=str(e), **context), 400
    except QueryError as e:
        return render_template("search.html", error=f"检索式有误：{e}",
                               error_at=getattr(e, "position", None), **context), 400
    return render_template("search.html", results=results, request_=search_request,
                           pages=page_numbers(results), facets=facet_links(results),
                           repeats=present.repeat_numbers(results), **context), 200


def page_numbers(results: SearchResults, window: int = 4) -> list[int]:
    """The page numbers to link around the current one."""
    last = min(math.ceil(results.total / results.per_page), current_app.config["MAX_PAGE"])
    return list(range(max(1, results.page - window), min(last, results.page + window) + 1))


def facet_links(results: SearchResults) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """Facet groups as (heading, [(label, count, url)]) for the type and year filters."""
    groups = []
    types = results.facets.get("doc_type") or {}
    if types:
        groups.append(("类型", [(present.type_label(k), n, search_url(type=k))
                               for k, n in types.items() if n]))
    years = results.facets.get("year") or {}
    if years:
        ordered = sorted(years.items(), key=lambda kv: str(kv[0]), reverse=True)
        groups.append(("年份", [(f"{k}年", n, search_url(year=str(k)))
                               for k, n in ordered if n]))
    return groups


PART_PASSAGES = 300  # a long document's page shows this many passages (and links the rest)


def document_part(ids: list[str], at: str, part: str) -> tuple[int, int]:
    """(this part, how many parts): the part holding passage `at`, else the part asked for."""
    parts = max(1, -(-len(ids) // PART_PASSAGES))
    if at in ids:
        return ids.index(at) // PART_PASSAGES + 1, parts
    return (min(max(1, int(part)), parts) if part.isdigit() else 1), parts


# path: a JSON Lines id may hold "/" (law/2020/第一条); url_for quotes the rest.
@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> str:
    """One document: metadata, its passages (a long one in parts) with anchors and citations."""
    index = get_index()
    doc = index.get_document(doc_id)
    if doc is None:
        abort(404, description=f"未找到该文档（编号 {doc_id}），它可能已从索引中删除。")
    q = request.args.get("q", "").strip()
    ids = [p.id for p in doc.passages()]
    part, parts = document_part(ids, request.args.get("at", ""),
                                request.args.get("part", ""))
    shown = frozenset(ids[(part - 1) * PART_PASSAGES:part * PART_PASSAGES])
    highlights: dict[str, str] = {}
    if q:
        try:
            highlights = index.highlight_passages(doc, q, only=shown)
        except QueryError:
            pass  # a query that cannot be parsed only loses its highlights here
    links = index.document_links(doc)  # issue 12: citations, 被引用, 相关文件
    return render_template("document.html", doc=doc, q=q, highlights=highlights,
                           metadata=present.metadata_rows(doc), shown=shown, part=part,
                           parts=parts, total=len(ids), per_part=PART_PASSAGES,
                           issue_nav=archive.issue_nav(doc.doc_id), links=links)
