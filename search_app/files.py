"""The original files at /files/<sha256>/<download name>, from the index's store."""
from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app, send_file

from index import original_file

bp = Blueprint("files", __name__)

UNKNOWN = "未找到该原始文件：链接中的文件摘要（SHA-256）不在本索引中，文件可能已被替换或删除。"


@bp.get("/files/<sha256>/<name>")
def original(sha256: str, name: str) -> Response:
    """The kept file's bytes: a PDF shown in the browser (so #page=N works), others downloaded."""
    path = original_file(current_app.config["INDEX_PATH"], sha256.lower())
    if path is None:
        abort(404, description=UNKNOWN)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    pdf = mimetype == "application/pdf"
    # send_file writes the name as RFC 5987 filename* when it is not ASCII.
    response = send_file(path, mimetype=mimetype, as_attachment=not pdf, download_name=name,
                         conditional=True, max_age=31536000)
    if not pdf:  # an HTML original must never run as a page of this site
        response.headers["Content-Security-Policy"] = "sandbox"
    return response
