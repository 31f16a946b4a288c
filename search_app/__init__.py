"""gongwen-search web application: search page, document page and JSON API."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # flask is imported by create_app: `gongwen search` never needs it
    from flask import Flask, Response

# Sent with every response. The pages load scripts and styles from /static only (no inline
# <script>, event handler or style attribute), so the policy can forbid everything else.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then test_config."""
    from flask import Flask

    from search_app import advanced_pages, api, archive, cite_views, errors, files, store, views
    from search_app.config import default_config

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(default_config())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if app.config["INDEX_PATH"] is None:
        app.config["INDEX_PATH"] = os.path.join(app.instance_path, "index")
    app.config["INDEX_PATH"] = Path(app.config["INDEX_PATH"])

    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.mimetype = "application/json; charset=utf-8"  # type: ignore[attr-defined]

    store.prepare_analysis(app.config["USERDICT"])
    store.init_app(app)
    errors.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(archive.bp)
    app.register_blueprint(archive.api_bp)
    app.register_blueprint(cite_views.bp)  # issue 12: permalinks, exports
    app.register_blueprint(files.bp)  # issue 12: the original files
    app.register_blueprint(advanced_pages.bp)  # issue 13: 高级检索, the syntax help
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
