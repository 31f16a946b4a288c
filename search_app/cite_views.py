"""Passage permalinks and exports over HTTP: the pages' links and the JSON API's formats."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import (Blueprint, Response, abort, current_app, redirect, request, url_for)

from ingest.model import Document
from search_app import export
from search_app.citation import Citation, cite
from search_app.params import ParamError, parse_search_args
from search_app.permalinks import NOTES, download_name, file_url, original_for, resolve
from search_app.store import get_index
from search_app.views import SEARCH_PARAMS

bp = Blueprint("cite", __name__)

TOO_MANY = 200  # documents one citation export may name


@bp.app_template_global()
def page_citations(doc: Document) -> PageCitations:
    """What the document page shows: its citation, each passage's, its originals, a note."""
    base = base_url()
    originals = [(download_name(s), s.format.upper(), file_url(base, s, None))
                 for s in doc.originals if s.sha256]
    pdf = original_for(doc, 1)
    pages = {p.id: file_url(base, pdf, p.page) for p in doc.passages()
             if p.page is not None and pdf is not None and pdf.format == "pdf"}
    return PageCitations(cite(doc, base), {p.id: cite(doc, base, p) for p in doc.passages()},
                         originals, pages, NOTES.get(request.args.get("note", "")))


@dataclass(frozen=True)
class PageCitations:
    """The citation box of a document page and the copy button of each passage."""

    document: Citation
    passages: dict[str, Citation]
    originals: list[tuple[str, str, str]]  # (file name, format, URL)
    page_links: dict[str, str]  # passage id → the original PDF at its page
    note: str | None  # why a permalink led here rather than to its passage


@bp.app_template_global()
def export_url(fmt: str) -> str:
    """The current search as an export in fmt (the JSON API's format parameter)."""
    params = {k: v for k in SEARCH_PARAMS if k != "per_page"
              and (v := request.args.get(k, "").strip())}
    return url_for("api.search", format=fmt, **params)


def base_url() -> str:
    """This site's address as the browser reached it (citations carry absolute URLs)."""
    return request.url_root


@bp.get("/documents/<path:doc_id>/passages/<key>")
def passage(doc_id: str, key: str) -> Response:
    """A passage permalink: to the passage now holding the cited text, with a note if moved."""
    doc = get_index().get_document(doc_id)
    if doc is None:
        abort(404, description=f"未找到该文档（编号 {doc_id}），它可能已从索引中删除。")
    where = resolve(doc, key)
    if where is None:
        abort(404, description=f"段落编号 {key} 无效：应为 p12 或 p12-3fa9c1 的形式。")
    args = {"at": where.passage_id, "note": where.note}
    target = url_for("views.document", doc_id=doc.doc_id,
                     **{k: v for k, v in args.items() if v})
    if where.passage_id:
        target += "#" + quote(where.passage_id)
    return redirect(target)  # 302: where a key leads changes when the file does


def export_response(data: bytes, fmt: str, stem: str) -> Response:
    """The file as a download named stem.fmt (RFC 5987 for a Chinese stem)."""
    response = Response(data, mimetype=export.MEDIA[fmt])
    name = f"{stem}.{fmt}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(name)}")
    return response


def search_export(fmt: str) -> Response:
    """The current search's result list (up to export.MAX_ROWS) in format fmt."""
    search_request = parse_search_args(request.args, current_app.config)
    index = get_index()
    hits = export.all_hits(index, search_request)
    stem = f"检索结果-{search_request.q}" if search_request.q else "检索结果"
    if fmt in export.WRITERS:
        return export_response(export.WRITERS[fmt](export.result_rows(hits, base_url())),
                               fmt, stem)
    docs = [d for h in hits if (d := index.get_document(h.doc_id)) is not None]
    return _citations(docs, fmt, stem)


def _citations(docs: list, fmt: str, stem: str) -> Response:
    items = export.citations([(d, None) for d in docs], base_url())
    data = export.to_ris(items) if fmt == "ris" else export.to_text([c for _, c in items])
    return export_response(data, fmt, stem)


@bp.get("/export")
@bp.get("/api/export")
def selected() -> Response:
    """Citations of the documents named by doc=… (the results page's check boxes)."""
    fmt = request.args.get("format", "txt")
    if fmt not in ("ris", "txt"):
        raise ParamError("format", "引用导出只支持 ris 或 txt（GB/T 7714 文本）")
    ids = [i for i in request.args.getlist("doc") if i.strip()]
    if not ids:
        raise ParamError("doc", "请先勾选要导出引用的文档")
    if len(ids) > TOO_MANY:
        raise ParamError("doc", f"一次最多导出 {TOO_MANY} 篇")
    index = get_index()
    docs = []
    for doc_id in ids:
        doc = index.get_document(doc_id)
        if doc is None:
            abort(404, description=f"未找到文档：{doc_id}")
        docs.append(doc)
    return _citations(docs, fmt, "引用")
