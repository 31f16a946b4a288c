"""The original files at /files/<sha256>/<download name>, from the index's store."""
from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, send_file

from index import original_file

bp = Blueprint("files", __name__)

UNKNOWN = "未找到该原始文件：链接中的文件摘要（SHA-256）不在本索引中，文件可能已被替换或删除。"


def disposition(kind: str, name: str, sha256: str) -> str:
    """kind; filename="ASCII"; filename*=UTF-8''… (RFC 6266/5987) for a name that is not ASCII.

    An old client reads only filename=: it gets the name's ASCII part, else the hash's start."""
    if name.isascii() and '"' not in name and "\\" not in name:
        return f'{kind}; filename="{name}"'
    stem, dot, ext = name.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "", stem if dot else name).strip("._-")
    ascii_ext = re.sub(r"[^A-Za-z0-9]+", "", ext) if dot else ""
    fallback = (ascii_stem or sha256[:12]) + (f".{ascii_ext}" if ascii_ext else "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@bp.get("/files/<sha256>/<name>")
def original(sha256: str, name: str) -> Response:
    """The kept file's bytes: a PDF shown in the browser (so #page=N works), others downloaded."""
    path = original_file(current_app.config["INDEX_PATH"], sha256.lower())
    if path is None:
        abort(404, description=UNKNOWN)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    pdf = mimetype == "application/pdf"
    response = send_file(path, mimetype=mimetype, conditional=True, max_age=31536000)
    response.headers["Content-Disposition"] = disposition("inline" if pdf else "attachment",
                                                          name, sha256)
    if not pdf:  # an HTML original must never run as a page of this site
        response.headers["Content-Security-Policy"] = "sandbox"
    return response
