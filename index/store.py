"""Opening and creating the index on disk, small write batches, and thread-safe searching.

Big batches (``gongwen ingest``) go through :mod:`index.sync`; this module holds the Index
that readers use, the version check, and the commit that makes new segments and deletions
visible in one step.
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable

import jieba
from whoosh.index import FileIndex, LockError
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Term
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from index import generations as gen
from index.analysis import ANALYZER_VERSION, analysis_fingerprint, ensure_analysis
from index.generations import DurableFileStorage, IndexLockedError, WriteLock
from index.schema import SCHEMA_VERSION, build_schema, document_record
from index.search import highlight_document, run_search
from index.types import IndexError_, IndexVersionError, SearchRequest, SearchResults
from ingest.model import Document

META_FILE = gen.POINTER
INDEX_NAME = "MAIN"
WRITE_LOCK_TIMEOUT = 5.0  # seconds Index.add_documents waits for another writer
WRITER_POOL_MB = 256  # whoosh's default (128) spills to disk early: ~35% slower builds
SMALL_SEGMENT = 4000  # records; only segments this small are merged by ordinary commits
SMALL_SEGMENTS_BEFORE_MERGE = 8


def rebuild_hint(path: Path) -> str:
    """The command that rebuilds the index at path."""
    return f"请重建：gongwen ingest --rebuild --index {path} PATH..."


def current_version() -> dict[str, Any]:
    """What this program writes into an index it builds: schema and analysis identity."""
    from index.analysis import _STATE  # the dictionaries this process loaded

    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint(),
            "analyzer_version": ANALYZER_VERSION, "jieba": jieba.__version__,
            "dictionaries": sorted(p.name for p, _ in _STATE.loaded)}


def _describe(v: dict[str, Any]) -> str:
    dicts = ", ".join(v.get("dictionaries") or []) or "?"
    return (f"索引结构 {v.get('schema_version', '未知')}、分析指纹 {v.get('analysis', '未知')}"
            f"（分词器 {v.get('analyzer_version', '?')}，jieba {v.get('jieba', '?')}，"
            f"词典 {dicts}）")


def check_version(root: Path, pointer: dict[str, Any]) -> None:
    """IndexVersionError, naming the fix, unless the index was built the way we would build it."""
    wanted = current_version()
    if pointer.get("schema_version") != wanted["schema_version"] or \
            pointer.get("analysis") != wanted["analysis"]:
        raise IndexVersionError(
            f"索引 {root} 建立时用的是{_describe(pointer)}；本程序用的是"
            f"{_describe(wanted)}；{rebuild_hint(root)}")


def open_whoosh(folder: Path, durable: bool = False) -> FileIndex:
    """The whoosh index in a generation folder (durable: every written file is fsynced)."""
    storage = DurableFileStorage(str(folder)) if durable else FileStorage(str(folder))
    return FileIndex(storage, indexname=INDEX_NAME)


def merge_small(writer: SegmentWriter, segments: list) -> list:
    """Merge policy: fold many small segments into one; never rewrite a big segment."""
    small = [s for s in segments if s.doc_count_all() <= SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_BEFORE_MERGE:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() > SMALL_SEGMENT]


class Index:
    """A search index on disk. Safe to share between the threads of one process.

    Each search first checks (one stat) whether the pointer file moved to a new generation,
    as `gongwen ingest --rebuild` does, and if so reopens; commits within a generation are
    picked up by refreshing the searcher.
    """

    def __init__(self, path: Path, pointer: dict[str, Any], ix: FileIndex) -> None:
        self.path = path
        self._pointer = pointer
        self._stamp = gen.pointer_stamp(path)
        self._ix = ix
        self._local = threading.local()  # (ix, searcher) per thread
        self._searchers: list[Searcher] = []
        self._lock = threading.Lock()
        self._closed = False

    # -- following the pointer -------------------------------------------------------

    def _current_ix(self) -> FileIndex:
        """The whoosh index of the current generation, reopened if the pointer moved."""
        if self._closed:
            raise IndexError_(f"索引 {self.path} 已关闭")
        stamp = gen.pointer_stamp(self.path)
        if stamp == self._stamp:
            return self._ix
        with self._lock:
            if stamp != self._stamp:
                pointer = gen.read_pointer(self.path)
                if pointer is None:
                    raise IndexError_(f"索引 {self.path} 已不存在")
                check_version(self.path, pointer)
                if gen.generation_dir(self.path, pointer) != \
                        gen.generation_dir(self.path, self._pointer):
                    self._ix = open_whoosh(gen.generation_dir(self.path, pointer))
                self._pointer, self._stamp = pointer, stamp
            return self._ix

    def _searcher(self) -> Searcher:
        """This thread's searcher, brought up to date with the latest commit (any process)."""
        for attempt in range(3):
            ix = self._current_ix()
            held = getattr(self._local, "held", None)
            try:
                if held is None or held[0] is not ix:
                    fresh = ix.searcher()
                else:
                    fresh = held[1].refresh()
            except Exception as e:  # noqa: BLE001 - a generation removed under us, or damage
                if attempt < 2 and gen.pointer_stamp(self.path) != self._stamp:
                    continue  # the pointer moved while we opened: follow it
                if attempt < 2:
                    time.sleep(0.05)
                    continue
                raise IndexError_(f"无法读取索引 {self.path}：{e}") from e
            if held is None or fresh is not held[1]:
                with self._lock:
                    if held is not None and held[1] in self._searchers:
                        self._searchers.remove(held[1])
                        if held[0] is not ix:  # a refreshed searcher shares its readers
                            held[1].close()
                    self._searchers.append(fresh)
                self._local.held = (ix, fresh)
            return fresh
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchResults:
        """Documents matching the request, best first, with their best passages highlighted."""
        searcher = self._searcher()
        try:
            return run_search(searcher, req)
        except IndexError_:
            raise
        except Exception as e:  # noqa: BLE001 - one failure type for the layer above
            raise IndexError_(f"在索引 {self.path} 中检索失败：{e}") from e

    def highlight_passages(self, doc: Document, q: str,
                           only: frozenset[str] | None = None) -> dict[str, str]:
        """passage id → escaped HTML of the whole passage with <mark> around q's matches."""
        return highlight_document(self._current_ix().schema, doc, q, only=only)

    def _doc_numbers(self, searcher: Searcher, doc_id: str | None = None) -> list[int]:
        if doc_id is None:
            return list(searcher.docs_for_query(Term("role", "doc")))
        # The doc_id term alone: intersecting it with role=doc would walk every document.
        return [n for n in searcher.docs_for_query(Term("doc_id", doc_id))
                if "doc" in searcher.stored_fields(n)]

    def get_document(self, doc_id: str) -> Document | None:
        """The full Document as indexed, or None."""
        s = self._searcher()
        for n in s.docs_for_query(Term("doc_id", doc_id)):
            stored = s.stored_fields(n)
            if "doc" in stored:
                return Document.from_dict(json.loads(stored["doc"]))
        return None

    def doc_count(self) -> int:
        """Number of documents (not passages) in the index."""
        return len(self._doc_numbers(self._searcher()))

    def all_doc_ids(self) -> list[str]:
        """Every doc_id, sorted."""
        s = self._searcher()
        if s.reader().doc_count_all() == 0:
            return []
        col = s.reader().column_reader("doc_id")
        return sorted(col[n] for n in self._doc_numbers(s))

    def sources(self) -> dict[str, tuple[str, str | None]]:
        """doc_id → (source path, sha256) for documents that have a source (for sync)."""
        return {d: (p, sha) for d, p, sha in self.doc_sources() if p}

    def doc_sources(self) -> list[tuple[str, str, str | None]]:
        """(doc_id, source path or "", sha256 or None) for every document."""
        s = self._searcher()
        reader = s.reader()
        if reader.doc_count_all() == 0:
            return []
        ids, paths, shas = (reader.column_reader(f) for f in ("doc_id", "source_path",
                                                               "source_sha256"))
        return [(ids[n], paths[n], shas[n] or None) for n in self._doc_numbers(s)]

    def version(self) -> dict[str, Any]:
        """What the index records about how it was built (the pointer file's content)."""
        self._current_ix()
        return dict(self._pointer)

    # -- small writes ----------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document]) -> int:
        """Add or replace (by doc_id) documents in one commit; nothing is kept if any fails."""
        batch: dict[str, Document] = {}
        for doc in docs:  # last one wins: a writer cannot delete what it has added itself
            batch[doc.doc_id] = doc

        def work(writer: SegmentWriter) -> int:
            for doc_id, doc in batch.items():
                try:
                    record = document_record(doc)
                    writer.delete_by_term("doc_id", doc_id)
                    writer.add_document(**record)
                except Exception as e:
                    raise IndexError_(f"无法索引文档 {doc_id}：{e}；"
                                      "什么都没有写入") from e
            return len(batch)

        return self._write(work)

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        """Delete documents by doc_id; returns how many existed."""
        wanted = set(doc_ids)

        def work(writer: SegmentWriter) -> int:
            searcher = writer.searcher()
            existing = sum(1 for d in wanted if self._doc_numbers(searcher, d))
            for doc_id in wanted:
                writer.delete_by_term("doc_id", doc_id)
            return existing

        return self._write(work)

    def _write(self, work: Any) -> int:
        """Run work(writer) under the batch lock and commit it, or write nothing at all."""
        if self._closed:
            raise IndexError_(f"索引 {self.path} 已关闭")
        with WriteLock(self.path, wait=True, timeout=WRITE_LOCK_TIMEOUT):
            ix = open_whoosh(gen.generation_dir(self.path, self._pointer_now()), durable=True)
            try:
                writer = SegmentWriter(ix, limitmb=WRITER_POOL_MB)
            except LockError as e:
                raise IndexLockedError(f"索引 {self.path} 正被另一个写入进程锁定；"
                                       "请等它结束后再试") from e
            try:
                result = work(writer)
            except BaseException as e:
                writer.cancel()
                if isinstance(e, IndexError_) or not isinstance(e, Exception):
                    raise
                raise IndexError_(f"无法写入索引 {self.path}：{e}；"
                                  "什么都没有写入") from e
            try:
                writer.commit(mergetype=merge_small)
            except Exception as e:
                raise IndexError_(f"无法提交到索引 {self.path}：{e}") from e
            return result

    def _pointer_now(self) -> dict[str, Any]:
        self._current_ix()
        return self._pointer

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


def is_index(path: Path) -> bool:
    """True if path holds an index (a pointer file), whatever its version."""
    return (Path(path) / META_FILE).is_file()


def can_create(path: Path) -> bool:
    """True if path is missing, empty, or holds only what a killed index creation left."""
    path = Path(path)
    if not path.exists():
        return True
    if not path.is_dir() or is_index(path):
        return False
    return all(gen.is_ours(path, name) for name in os.listdir(path))


def create_generation(root: Path) -> tuple[str, FileIndex]:
    """A new, empty generation folder under root (not yet pointed to)."""
    name = gen.next_generation(root)
    folder = root / name
    folder.mkdir(parents=True)
    storage = DurableFileStorage(str(folder))
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    gen.fsync_dir(root)
    return name, ix


def point_to(root: Path, name: str) -> None:
    """Switch the index at root to generation name, atomically, then drop older ones."""
    gen.write_json_atomic(root / META_FILE, {**current_version(), "generation": name})
    gen.remove_stale(root, keep=name)


def create_index(path: Path) -> Index:
    """A new, empty index at path (the folder is created); IndexError_ if one is there."""
    ensure_analysis()
    path = Path(path)
    if not can_create(path):
        raise IndexError_(f"{path} 已有索引；请打开它，或先删除")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with WriteLock(path):
            gen.remove_stale(path, keep=None)
            name, ix = create_generation(path)
            point_to(path, name)
    except OSError as e:
        raise IndexError_(f"无法在 {path} 建立索引：{e}") from e
    return open_index(path)


def open_index(path: Path) -> Index:
    """The index at path; IndexError_ if there is none, IndexVersionError if it is outdated."""
    ensure_analysis()
    path = Path(path)
    pointer = gen.read_pointer(path) if path.is_dir() else None
    if pointer is None:
        raise IndexError_(f"{path} 没有索引；请先运行 gongwen ingest PATH 建立索引")
    check_version(path, pointer)
    try:
        ix = open_whoosh(gen.generation_dir(path, pointer))
        if ix.latest_generation() < 0:
            raise IndexError_("缺少目录文件（TOC）")
    except Exception as e:  # noqa: BLE001 - a damaged or foreign index
        raise IndexError_(f"无法打开索引 {path}：{e}") from e
    return Index(path, pointer, ix)
