"""jieba's own dictionary with our user words, for jieba's part-of-speech tagger.

Words for the index and the queries come from rjieba (index/analysis/segmenter.py); jieba is
loaded only where its tagger is used (related documents' topic words), from jieba's marshal
cache kept in our cache folder under a name keyed by jieba's version and dictionary file (not
in the shared temporary folder, where another user's cache cannot be read and jieba rebuilds
it from the text file on every start).

The folder is ``$XDG_CACHE_HOME/gongwen-search`` (``~/.cache/gongwen-search``); it may be
deleted at any time. When it cannot be written, the dictionary loads as jieba loads it.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path


Entry = tuple[str, int, "str | None"]  # word, frequency, part-of-speech tag

CACHE_NAME = "gongwen-search"


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/gongwen-search, or ~/.cache/gongwen-search (the XDG default)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / CACHE_NAME


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _main_dict_id() -> str:
    """jieba's version and its dictionary file's size and time: a new jieba, a new cache."""
    import jieba  # here, not at the top: a search never tags, so never imports jieba

    st = (Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME).stat()
    return f"{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}"


def load_full(entries: Sequence[Entry], cache_dir: Path | None = None) -> None:
    """Load jieba's whole dictionary (from its cache in cache_dir), then add the entries."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on stderr
    folder = (cache_dir or default_cache_dir()) / f"jieba-{_main_dict_id()}"
    if not jieba.dt.initialized and _writable(folder):
        jieba.dt.tmp_dir = str(folder)  # jieba writes and reads "jieba.cache" there
    jieba.initialize()
    add_entries(entries)


def add_entries(entries: Sequence[Entry]) -> None:
    """Add user words to jieba's loaded dictionary."""
    import jieba

    for word, freq, tag in entries:
        jieba.add_word(word, freq, tag)
