"""gongwen-search web application: search page, document page and JSON API."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then test_config."""
    from search_app import api, errors, store, views
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
    return app
