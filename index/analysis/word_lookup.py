"""jieba's words for a few short lines without building rjieba's whole dictionary (issue 14).

`import rjieba` builds a tokenizer over jieba's 349,045 words, 0.1 s of a `gongwen search`
that cuts one short query. jieba's cut of a line depends on the dictionary only through the
words that occur in the line (its graph of candidate words) and the sum of all frequencies
(every word's weight is its frequency over that sum). So an empty rjieba tokenizer given
the words of the line, with their frequencies, and one placeholder word that no line can
contain, whose frequency makes the sum the whole dictionary's, cuts the line as the whole
dictionary does. rjieba's sum counts each word once, the last frequency of a word listed
twice (measured with its suggest_freq; jieba's dict.txt lists B超 twice).

The words live in a SQLite table in the cache folder (built once from jieba's dict.txt, the
dictionary rjieba embeds; about 1.5 s and 6 MB), named after that file's size and time.
The user words are applied over it as rjieba.add_word applies them.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sqlite3
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Not a word any line can hold: jieba-rs looks words up only inside runs of Han characters,
# Latin letters and digits, and U+FFFF is a noncharacter, none of these.
PLACEHOLDER = "\uffff"
MAX_CHARS = 2000  # a longer line is cut by rjieba itself (its words would be many lookups)
_CHUNK = 500  # words per SQL statement


class WordLookup:
    """An rjieba tokenizer holding the dictionary words of the lines it was asked for."""

    def __init__(self, jieba_class: Any, db: sqlite3.Connection) -> None:
        self._class = jieba_class
        self._db = db
        total, longest = db.execute("SELECT total, longest FROM meta").fetchone()
        self._total, self._longest = int(total), int(longest)
        self._broken = False
        self.forget()

    @classmethod
    def open(cls, cache_dir: Path | None = None) -> WordLookup | None:
        """The lookup over the table in cache_dir (built if missing), or None if it cannot be."""
        jieba_class = _jieba_class()
        source = _jieba_dict()
        if jieba_class is None or source is None:
            return None
        from index.analysis.dictionary import default_cache_dir

        folder = cache_dir or default_cache_dir()
        st = source.stat()
        path = folder / f"words-{st.st_size}-{st.st_mtime_ns}.sqlite3"
        try:
            if not path.is_file():
                _build(source, path)
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            return cls(jieba_class, db)
        except (OSError, sqlite3.Error):
            return None  # an unwritable cache folder: the whole dictionary, as before

    def forget(self) -> None:
        """Start again from an empty tokenizer (the user words changed)."""
        self._jieba = self._class.empty()
        self._seen: set[str] = set()
        self._held = 0  # the frequencies given to self._jieba, the placeholder's aside
        self._users: dict[str, int] = {}  # user word → its frequency in the dictionary (0: none)

    def ready(self, text: str, added: Mapping[str, tuple[int, Any]]) -> Any:
        """The tokenizer with every dictionary word that occurs in text, or None if too long."""
        if len(text) > MAX_CHARS or self._broken:
            return None
        longest = max(self._longest, max(map(len, added), default=0))
        n = len(text)
        new = {text[i:j] for i in range(n) for j in range(i + 1, min(n, i + longest) + 1)}
        new -= self._seen
        unknown_users = [w for w in added if w not in self._users]
        if not new and not unknown_users:
            return self._jieba
        try:
            found = self._freqs(new | set(unknown_users))
        except sqlite3.Error:  # a damaged table: rjieba's own dictionary from now on
            self._broken = True
            return None
        for word in unknown_users:
            self._users[word] = found.get(word, 0)
        for word in new:
            freq = added[word][0] if word in added else found.get(word)
            if freq:
                self._jieba.add_word(word, freq, None)
                self._held += freq
        self._seen |= new
        # rjieba.add_word replaces a word's frequency, and the sum with it
        total = self._total + sum(added[w][0] - f for w, f in self._users.items())
        self._jieba.add_word(PLACEHOLDER, total - self._held, None)
        return self._jieba

    def _freqs(self, words: set[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        listed = list(words)
        for at in range(0, len(listed), _CHUNK):
            part = listed[at:at + _CHUNK]
            marks = ",".join("?" * len(part))
            out.update(self._db.execute(
                f"SELECT word, freq FROM words WHERE word IN ({marks})", part).fetchall())
        return out


def _jieba_dict() -> Path | None:
    """jieba's dict.txt, found without importing jieba (0.03 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "dict.txt"
    return path if path.is_file() else None


def _jieba_class() -> Any:
    """rjieba's tokenizer class from its compiled module, without the package's __init__
    (which builds the whole dictionary); registered as rjieba.rjieba, so that a later
    `import rjieba` uses this same module."""
    loaded = sys.modules.get("rjieba.rjieba")
    if loaded is not None:
        return loaded.Jieba
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0])
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"rjieba{suffix}"
        if path.is_file():
            break
    else:
        return None
    sub = importlib.util.spec_from_file_location("rjieba.rjieba", path)
    if sub is None or sub.loader is None:
        return None
    module = importlib.util.module_from_spec(sub)
    sub.loader.exec_module(module)
    sys.modules["rjieba.rjieba"] = module
    return getattr(module, "Jieba", None)


def _build(source: Path, path: Path) -> None:
    """The table of source's words (a word listed twice: its last frequency), written whole
    or not at all."""
    words: dict[str, int] = {}
    with source.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                words[parts[0]] = int(parts[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".words-", suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (total INTEGER, longest INTEGER)")
            db.executemany("INSERT INTO words VALUES (?, ?)", words.items())
            db.execute("INSERT INTO meta VALUES (?, ?)",
                       (sum(words.values()), max(map(len, words), default=1)))
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
