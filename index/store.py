"""Opening and creating the index on disk, write batches, and thread-safe searching."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.query import And, Term
from whoosh.searching import Searcher

from index.analysis import analysis_fingerprint, ensure_analysis
from index.schema import SCHEMA_VERSION, build_schema, document_records
from index.search import highlight_document, run_search
from index.types import IndexError_, IndexVersionError, SearchRequest, SearchResults
from ingest.model import Document

META_FILE = "gongwen-index.json"
WRITE_LOCK_TIMEOUT = 5.0  # seconds to wait for another process's writer
WRITER_POOL_MB = 256  # whoosh's default (128) spills to disk early: ~35% slower builds
REBUILD_HINT = "rebuild it: gongwen ingest --rebuild ..."


def _version() -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint()}


class Index:
    """A search index on disk. Safe to share between the threads of one process."""

    def __init__(self, path: Path, ix: whoosh_index.Index) -> None:
        self.path = path
        self._ix = ix
        self._local = threading.local()  # one searcher per thread, refreshed per call
        self._searchers: list[Searcher] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False

    # -- reading ---------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher, brought up to date with the latest commit (any process)."""
        if self._closed:
            raise IndexError_(f"index at {self.path} is closed")
        current = getattr(self._local, "searcher", None)
        try:
            fresh = self._ix.searcher() if current is None else current.refresh()
        except Exception as e:  # noqa: BLE001 - whoosh raises many kinds on a damaged index
            raise IndexError_(f"cannot read index at {self.path}: {e}") from e
        if fresh is not current:
            with self._lock:
                if current is not None and current in self._searchers:
                    self._searchers.remove(current)
                self._searchers.append(fresh)
            self._local.searcher = fresh
        return fresh

    def search(self, req: SearchRequest) -> SearchResults:
        """Documents matching the request, best first, with their best passages highlighted."""
        searcher = self._searcher()
        try:
            return run_search(searcher, req)
        except IndexError_:
            raise
        except Exception as e:  # noqa: BLE001 - one failure type for the layer above
            raise IndexError_(f"search failed in index at {self.path}: {e}") from e

    def highlight_passages(self, doc: Document, q: str) -> dict[str, str]:
        """passage id → escaped HTML of the whole passage with <mark> around q's matches."""
        return highlight_document(self._ix.schema, doc, q)

    def _doc_numbers(self, searcher: Searcher, doc_id: str | None = None) -> list[int]:
        q = Term("role", "doc") if doc_id is None else And([Term("doc_id", doc_id),
                                                           Term("role", "doc")])
        return list(searcher.docs_for_query(q))

    def get_document(self, doc_id: str) -> Document | None:
        """The full Document as indexed, or None."""
        s = self._searcher()
        numbers = self._doc_numbers(s, doc_id)
        if not numbers:
            return None
        return Document.from_dict(json.loads(s.stored_fields(numbers[0])["doc"]))

    def doc_count(self) -> int:
        """Number of documents (not passages) in the index."""
        return len(self._doc_numbers(self._searcher()))

    def all_doc_ids(self) -> list[str]:
        """Every doc_id, sorted."""
        s = self._searcher()
        col = s.reader().column_reader("doc_id")
        return sorted(col[n] for n in self._doc_numbers(s))

    def sources(self) -> dict[str, tuple[str, str | None]]:
        """doc_id → (source path, sha256) for documents that have a source (for sync)."""
        s = self._searcher()
        reader = s.reader()
        ids, paths, shas = (reader.column_reader(f) for f in ("doc_id", "source_path",
                                                               "source_sha256"))
        return {ids[n]: (paths[n], shas[n] or None) for n in self._doc_numbers(s) if paths[n]}

    # -- writing ---------------------------------------------------------------------

    def _writer(self):
        try:
            return self._ix.writer(timeout=WRITE_LOCK_TIMEOUT, limitmb=WRITER_POOL_MB)
        except LockError as e:
            raise IndexError_(f"index at {self.path} is locked by another writer; "
                              "try again when it has finished") from e

    def add_documents(self, docs: Iterable[Document]) -> int:
        """Add or replace (by doc_id) documents in one commit; nothing is kept if any fails."""
        if self._closed:
            raise IndexError_(f"index at {self.path} is closed")
        with self._write_lock:
            writer = self._writer()
            doc_id = None
            try:
                # Last one wins: a writer cannot delete what it has added itself.
                batch = {}
                for doc in docs:
                    batch[doc.doc_id] = doc
                fresh = self._ix.is_empty()  # we hold the write lock
                for doc_id, doc in batch.items():
                    records = document_records(doc)
                    if not fresh:
                        writer.delete_by_term("doc_id", doc_id)
                    for record in records:
                        writer.add_document(**record)
            except BaseException as e:
                writer.cancel()
                if not isinstance(e, Exception):
                    raise
                where = f" (document {doc_id})" if doc_id else ""
                raise IndexError_(f"could not index{where}: {e}; nothing was written") from e
            try:
                writer.commit()
            except Exception as e:
                raise IndexError_(f"could not commit to index at {self.path}: {e}") from e
            return len(batch)

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        """Delete documents (and their passages) by doc_id; returns how many existed."""
        if self._closed:
            raise IndexError_(f"index at {self.path} is closed")
        with self._write_lock:
            writer = self._writer()
            try:
                deleted = sum(1 for d in set(doc_ids) if writer.delete_by_term("doc_id", d))
            except BaseException as e:
                writer.cancel()
                if not isinstance(e, Exception):
                    raise
                raise IndexError_(f"could not delete from index at {self.path}: {e}") from e
            try:
                writer.commit()
            except Exception as e:
                raise IndexError_(f"could not commit to index at {self.path}: {e}") from e
            return deleted

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Release every searcher; the Index cannot be used afterwards."""
        with self._lock:
            self._closed = True
            searchers, self._searchers = self._searchers, []
        for s in searchers:
            s.close()
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def create_index(path: Path) -> Index:
    """A new, empty index at path (the folder is created); IndexError_ if one is there."""
    ensure_analysis()
    path = Path(path)
    if path.is_dir() and (whoosh_index.exists_in(str(path)) or (path / META_FILE).exists()):
        raise IndexError_(f"an index already exists at {path}; open it, or delete it first")
    try:
        path.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(path), build_schema())
        tmp = path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(_version(), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path / META_FILE)
    except OSError as e:
        raise IndexError_(f"cannot create index at {path}: {e}") from e
    return Index(path, ix)


def open_index(path: Path) -> Index:
    """The index at path; IndexError_ if there is none, IndexVersionError if it is outdated."""
    ensure_analysis()
    path = Path(path)
    if not path.is_dir() or not whoosh_index.exists_in(str(path)):
        raise IndexError_(f"no index at {path}; run `gongwen ingest ...` to build one")
    try:
        found = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = {"schema_version": "unknown", "analysis": "unknown"}
    wanted = _version()
    if found.get("schema_version") != wanted["schema_version"] or \
            found.get("analysis") != wanted["analysis"]:
        raise IndexVersionError(
            f"index at {path} was built with schema {found.get('schema_version')}, analysis "
            f"{found.get('analysis')}; this program uses schema {wanted['schema_version']}, "
            f"analysis {wanted['analysis']}; {REBUILD_HINT}")
    try:
        ix = whoosh_index.open_dir(str(path))
    except Exception as e:  # noqa: BLE001 - a damaged or foreign index
        raise IndexError_(f"cannot open index at {path}: {e}") from e
    return Index(path, ix)
