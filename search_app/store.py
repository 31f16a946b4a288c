"""The application's one index: opened on first use, kept on app.extensions, closed with the app."""
from __future__ import annotations

import threading
import weakref
from pathlib import Path

from flask import Flask, current_app

from index import Index, IndexError_, open_index, parse_cache_mb, setup_analysis

EXTENSION = "gongwen_index"


def prepare_analysis(userdict: Path | str | None = None) -> None:
    """Load the analysis dictionaries (once per process)."""
    setup_analysis(Path(userdict) if userdict else None)


class IndexStore:
    """Holds one open Index for one application; opening is retried until it succeeds."""

    def __init__(self, path: Path, cache_mb: int) -> None:
        self.path = path
        self.cache_mb = cache_mb
        self._index: Index | None = None
        self._lock = threading.Lock()

    def get(self) -> Index:
        """The open index, opening it now if needed (raises IndexError_ when it cannot)."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.path, cache_mb=self.cache_mb)
            return self._index

    def is_open(self) -> bool:
        """Whether get() would return an index already open (in this process or its parent)."""
        with self._lock:
            return self._index is not None

    def close(self) -> None:
        """Close the index if it is open; the next get() opens it again."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None


def init_app(app: Flask) -> None:
    """Attach an IndexStore for app.config["INDEX_PATH"] and close it when the app goes."""
    # An invalid CACHE_MB fails here, when the app is made, with one line (IndexError_).
    store = IndexStore(Path(app.config["INDEX_PATH"]),
                       parse_cache_mb(app.config["CACHE_MB"], "CACHE_MB"))
    app.extensions[EXTENSION] = store
    # Flask has no app-level teardown; close when the app object is collected or at exit.
    weakref.finalize(app, store.close)


def get_store(app: Flask) -> IndexStore:
    """The IndexStore attached to app by init_app."""
    return app.extensions[EXTENSION]


def get_index() -> Index:
    """The current application's open index."""
    return get_store(current_app).get()  # type: ignore[arg-type]


def close_index(app: Flask) -> None:
    """Close the application's index now (tests, `gongwen serve` on exit)."""
    get_store(app).close()


def warm_index(app: Flask) -> str | None:
    """Build what the first searches would (Index.warm); the one-line reason if it failed.

    A server whose index cannot be warmed still starts: its requests then get the index's
    own error, and an index that becomes searchable again (a rebuild) is served.
    """
    try:
        get_store(app).get().warm()
    except IndexError_ as e:
        return str(e)
    return None
