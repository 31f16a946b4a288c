"""One JSON error envelope for /api/*, one HTML error page for everything else."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from index import IndexError_, QueryError
from search_app.params import ParamError

MESSAGES = {
    400: "请求有误，请检查参数。",
    404: "未找到所请求的页面。",
    405: "不支持该请求方法。",
    500: "服务器内部错误，请稍后重试。",
    503: "检索服务暂不可用，请稍后重试。",
}


def one_line(text: str) -> str:
    """The first line of a message, so that an envelope never carries a traceback."""
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def wants_json() -> bool:
    """True for the JSON API, whose errors are enveloped rather than rendered."""
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, message: str) -> tuple[Response | str, int]:
    """The error as the API envelope or as the Chinese error page, with its status."""
    if wants_json():
        return jsonify(ok=False, error={"status": status, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def _http_error(e: HTTPException) -> tuple[Response | str, int]:
    status = e.code or 500
    # werkzeug's own descriptions are English; ours replace them unless a view gave one.
    custom = e.description and e.description != type(e).description
    return error_response(status, e.description if custom else MESSAGES.get(status, e.name))


def init_app(app: Flask) -> None:
    """Register the error handlers on the application."""

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):  # type: ignore[no-untyped-def]
        return _http_error(e)

    @app.errorhandler(ParamError)
    def param_error(e: ParamError):  # type: ignore[no-untyped-def]
        return error_response(400, one_line(str(e)))

    @app.errorhandler(QueryError)
    def query_error(e: QueryError):  # type: ignore[no-untyped-def]
        return error_response(400, f"检索式有误：{one_line(str(e))}")

    @app.errorhandler(IndexError_)
    def index_error(e: IndexError_):  # type: ignore[no-untyped-def]
        app.logger.error("index unavailable: %s", one_line(str(e)))
        return error_response(503, f"{MESSAGES[503]}（{one_line(str(e))}）")
