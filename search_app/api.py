"""The JSON API: /api/search and /api/documents/<doc_id>."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request

from search_app.citations import document_json
from search_app.params import parse_search_args
from search_app.store import get_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """SearchResults.to_dict() for the query and filters in the URL."""
    search_request = parse_search_args(request.args, current_app.config)
    return jsonify(get_index().search(search_request).to_dict())


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str) -> Response:
    """Document.to_dict() of one indexed document, or a 404 envelope."""
    index = get_index()
    doc = index.get_document(doc_id)
    if doc is None:
        abort(404, description=f"未找到文档：{doc_id}")
    return jsonify(document_json(index, doc))  # issue 12: with citations, cited_by, related
