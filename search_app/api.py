"""The JSON API: /api/search and /api/documents/<doc_id>."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request

from search_app import export
from search_app.citation import document_json
from search_app.cite_views import base_url, search_export
from search_app.params import ParamError, parse_search_args
from search_app.store import get_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """SearchResults.to_dict() for the query and filters in the URL (format=…: an export)."""
    fmt = request.args.get("format", "json")
    if fmt != "json":  # issue 12: the result list as csv/xlsx, its citations as ris/txt
        if fmt not in export.FORMATS:
            raise ParamError("format", "应为 json、csv、xlsx、ris 或 txt")
        return search_export(fmt)
    search_request = parse_search_args(request.args, current_app.config)
    return jsonify(get_index().search(search_request).to_dict())


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> Response:
    """Document.to_dict() of one indexed document, or a 404 envelope."""
    doc = get_index().get_document(doc_id)
    if doc is None:
        abort(404, description=f"未找到文档：{doc_id}")
    return jsonify(document_json(doc, base_url()))  # with GB/T 7714 citation objects
