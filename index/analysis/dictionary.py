"""jieba's dictionary with our user words, kept in a cache folder so a process starts at once.

Two ways to load it:

* :func:`load_full` gives jieba its whole dictionary (a server, a batch): jieba's own marshal
  cache, kept in our cache folder under a name keyed by jieba's version and dictionary file
  (not in the shared temporary folder, where another user's cache cannot be read and jieba
  rebuilds it from the text file on every start), then the user words.
* :func:`load_lazy` is for one search from the shell: the dictionary, user words included, is
  written once into an SQLite file named by the hash of its content, and jieba reads only the
  entries the text in hand asks for. Every lookup jieba makes while cutting a sentence is a
  substring of that sentence, so the words, and the tokens, are those of the full dictionary;
  loading all 500,000 entries takes most of a second.

The folder is ``$XDG_CACHE_HOME/gongwen-search`` (``~/.cache/gongwen-search``); it may be
deleted at any time. When it cannot be written, the dictionary loads as jieba loads it.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path

import jieba
from jieba import finalseg

from index.types import IndexError_

Entry = tuple[str, int, "str | None"]  # word, frequency, part-of-speech tag

CACHE_NAME = "gongwen-search"
_FORMAT = "1"  # bump when the SQLite layout below changes


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
    st = (Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME).stat()
    return f"{jieba.__version__}-{st.st_size}-{st.st_mtime_ns}"


def dictionary_key(entries: Sequence[Entry]) -> str:
    """A hash of jieba's dictionary and the user entries, in the order they are added."""
    h = hashlib.sha256(f"{_FORMAT}|{_main_dict_id()}|".encode("utf-8"))
    h.update(repr(list(entries)).encode("utf-8"))
    return h.hexdigest()[:20]


def load_full(entries: Sequence[Entry], cache_dir: Path | None = None) -> None:
    """Load jieba's whole dictionary (from its cache in cache_dir), then add the entries."""
    folder = (cache_dir or default_cache_dir()) / f"jieba-{_main_dict_id()}"
    if not jieba.dt.initialized and _writable(folder):
        jieba.dt.tmp_dir = str(folder)  # jieba writes and reads "jieba.cache" there
    jieba.initialize()
    for word, freq, tag in entries:
        jieba.add_word(word, freq, tag)


def load_lazy(entries: Sequence[Entry], cache_dir: Path | None = None) -> bool:
    """Give a fresh jieba the cached table of its dictionary; True if it was lazily loaded.

    When the table is not cached yet, the whole dictionary is loaded (load_full) and the table
    written for the next process; False then, and jieba holds the full dictionary.
    """
    folder = cache_dir or default_cache_dir()
    path = folder / f"dict-{dictionary_key(entries)}.sqlite3"
    if jieba.dt.initialized:
        raise RuntimeError("load_lazy needs a jieba that has not loaded its dictionary")
    table = FrequencyTable.open(path)
    if table is None:
        load_full(entries, cache_dir)
        if _writable(folder):
            _write_table(path, jieba.dt.FREQ, jieba.dt.total)
        return False
    # What jieba.initialize() and add_word() would leave, with the frequencies read on demand.
    jieba.dt.FREQ, jieba.dt.total = table, table.total
    for word, freq, tag in entries:
        if tag:
            jieba.dt.user_word_tag_tab[word] = tag
        if freq == 0:
            finalseg.add_force_split(word)
    jieba.dt.initialized = True
    return True


def _write_table(path: Path, freq: dict[str, int], total: int) -> None:
    """Write the table beside its final name, then rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dict-", suffix=".tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        with con:
            con.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
            con.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL)"
                        " WITHOUT ROWID")
            con.execute("INSERT INTO meta VALUES (?)", (total,))
            con.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        con.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        # A cache that cannot be written only costs the next process a full load.
        Path(tmp).unlink(missing_ok=True)


class FrequencyTable(MutableMapping[str, int]):
    """jieba's FREQ read from the SQLite table on demand; lookups and additions kept in memory."""

    def __init__(self, con: sqlite3.Connection, total: int, path: Path) -> None:
        self._con = con
        self.path = path
        self._lock = threading.Lock()
        self._seen: dict[str, int | None] = {}  # None: not in the dictionary
        self.total = total

    @classmethod
    def open(cls, path: Path) -> FrequencyTable | None:
        """The table at path, or None when it is missing or unreadable."""
        if not path.is_file():
            return None
        try:
            con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            row = con.execute("SELECT total FROM meta").fetchone()
        except sqlite3.Error:
            return None
        return cls(con, int(row[0]), path) if row else None

    def _lookup(self, word: str) -> int | None:
        try:
            return self._seen[word]
        except KeyError:
            pass
        try:
            with self._lock:
                row = self._con.execute("SELECT n FROM freq WHERE word = ?",
                                        (word,)).fetchone()
        except sqlite3.Error as e:  # damaged after it was written whole
            raise IndexError_(f"词典缓存 {self.path} 无法读取（{e}），请删除该文件后重试") from e
        n = self._seen[word] = row[0] if row else None
        return n

    def __getitem__(self, word: str) -> int:
        n = self._lookup(word)
        if n is None:
            raise KeyError(word)
        return n

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not None

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        n = self._lookup(word)
        return default if n is None else n

    def __setitem__(self, word: str, n: int) -> None:
        self._seen[word] = n  # jieba.add_word in this process only

    def __delitem__(self, word: str) -> None:
        self._seen[word] = None

    def _all(self) -> dict[str, int]:
        with self._lock:
            rows = dict(self._con.execute("SELECT word, n FROM freq"))
        for word, n in self._seen.items():
            if n is None:
                rows.pop(word, None)
            else:
                rows[word] = n
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
