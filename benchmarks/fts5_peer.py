"""The SQLite FTS5 peer of issue 14: jieba `cut_for_search` tokens in an FTS5 table, one process.

One table ``docs(id, title, text)`` keeps the documents as given; an FTS5 table ``fts(title,
body)`` holds their tokens joined by spaces, read by ``unicode61`` (spaces and punctuation
separate tokens; a Han word such as 中华人民共和国 stays one term: ``tests/test_lean_benchmark.py``
checks it). Queries are tokenized the same way: a question is its tokens ORed, ranked by
``bm25()`` with ``snippet()`` for the passage; a keyword query is ``"a" AND "b"``, ranked.
jieba loads the project's user dictionary (through ``index.setup_analysis``), so both engines
segment with the same words.

    python -m benchmarks.fts5_peer build SOURCE.jsonl DB    # the build lean.py times
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BATCH = 2000  # rows per executemany
_WORD = re.compile(r"\w")  # a token unicode61 keeps (punctuation and spaces are separators)


@dataclass(frozen=True)
class PeerHit:
    id: str
    title: str
    snippet: str  # the passage, <mark> around matched tokens, spaces between tokens removed


def setup() -> None:
    """jieba with the project's user dictionary, loaded once per process."""
    from index import ensure_jieba, setup_analysis

    setup_analysis()
    ensure_jieba()  # jieba's own dictionary and the user words (the index cuts with rjieba)


def tokens(text: str) -> list[str]:
    """jieba's search-mode tokens that unicode61 keeps (punctuation and spaces dropped)."""
    import jieba

    return [t for t in jieba.cut_for_search(text) if _WORD.search(t)]


def _rows(source: Path) -> Iterator[tuple[str, str, str]]:
    with source.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                yield row["id"], row["title"], row["text"]


def build(source: Path, db: Path) -> int:
    """Index a JSON Lines file (id, title, text) into DB; return the number of documents."""
    setup()
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.executescript("""
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT,
                           text TEXT);
        CREATE VIRTUAL TABLE fts USING fts5 (title, body, tokenize = 'unicode61');
    """)
    n = 0
    for chunk in _chunks(_rows(source), BATCH):
        start = n + 1
        con.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                        [(start + k, *row) for k, row in enumerate(chunk)])
        con.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                        [(start + k, " ".join(tokens(title)), " ".join(tokens(text)))
                         for k, (_, title, text) in enumerate(chunk)])
        n += len(chunk)
    con.execute("INSERT INTO fts (fts) VALUES ('optimize')")  # one b-tree, as a finished build
    con.commit()
    con.close()
    return n


def _chunks(rows: Iterable[tuple[str, str, str]], size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class Peer:
    """An open peer database: questions and keyword queries, top k, ranked by bm25()."""

    def __init__(self, db: Path) -> None:
        self.con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self.con.close()

    def _run(self, match: str, k: int, snippets: bool) -> list[PeerHit]:
        if not match:
            return []
        snippet = ("snippet(fts, 1, '<mark>', '</mark>', '…', 24)" if snippets else "''")
        rows = self.con.execute(
            f"SELECT docs.id, docs.title, {snippet} FROM fts JOIN docs ON docs.rowid = fts.rowid "
            "WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?", (match, k)).fetchall()
        return [PeerHit(i, t, s.replace(" ", "")) for i, t, s in rows]

    def question(self, text: str, k: int = 10) -> list[PeerHit]:
        """A question's tokens ORed, best k by bm25() with a snippet of the body."""
        words = dict.fromkeys(tokens(text))  # each once, in order
        return self._run(" OR ".join(map(_phrase, words)), k, snippets=True)

    def keywords(self, words: Iterable[str], k: int = 10) -> list[PeerHit]:
        """Documents with every word (each tokenized as the build did), best k by bm25()."""
        terms = [t for w in words for t in tokens(w)]
        return self._run(" AND ".join(map(_phrase, dict.fromkeys(terms))), k, snippets=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="index a JSON Lines file (id, title, text)")
    b.add_argument("source", type=Path)
    b.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    n = build(args.source, args.db)
    print(f"{n} documents", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
