"""The parent's side of a batch: accept finished files in order, commit staged segments.

Workers finish in any order; files are accepted in the order they were listed, so that which
of two files claiming one doc_id fails does not depend on timing. A commit moves the staged
segments into the generation and writes one table of contents naming them together with the
deletions of replaced documents; commits fall only between files, never inside one.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from whoosh.index import FileIndex
from whoosh.query import Term
from whoosh.writing import SegmentWriter

from index import layout as gen
from index.layout import open_whoosh
from index.records import unpack_dict
from index.write.originals import keep_files
from index.write.merge import WRITER_POOL_MB, MergePolicy, tiered
from index.write.workers import Item, ItemResult, Task, TaskResult
from ingest.batch import DEFAULT_LIMITS, Limits

COMMIT_SECONDS = 1.0  # commit at most this often (and at the end)
TASK_BYTES = 4 * 1024 * 1024  # source bytes per task (one staged segment each)
TASK_FILES = 200

Progress = Callable[[float, int], None]  # (files done, files to parse)


@dataclass(frozen=True)
class Failure:
    """A file that could not be indexed, and why (one line)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Warned:
    """What the parsing libraries warned about one file (kept for the report, not printed)."""

    path: str
    warnings: tuple[str, ...]


@dataclass
class SourceFile:
    """One source file of the batch and what became of it."""

    order: int
    path: Path
    sha: str
    status: str  # "added" | "updated"
    parts: int
    done_parts: int = 0
    doc_ids: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (task, first, end docnum)
    failure: str | None = None
    warnings: list[str] = field(default_factory=list)  # what the parsing libraries warned
    members: tuple[Path, ...] = ()  # every file read with path (X.docx, X.pdf), path first
    doc_id: str | None = None  # the id the batch gives its documents (None: JSON Lines)
    titles_derived: int = 0  # documents whose title was taken from their text
    ids: tuple[tuple[str, str], ...] = ()  # (stem, id) of each stem of a folder group
    member_failures: list[Failure] = field(default_factory=list)  # its files that failed alone

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(map(str, self.members or (self.path,)))


def under(path: str, roots: list[Path]) -> bool:
    """True if path is one of roots or lies inside one of them."""
    p = Path(path)
    return any(p == r or r in p.parents for r in roots)


class Manifest:
    """What the committed index records per source file, read on demand.

    A batch of one new bulletin must not read the columns of 64,000 records: entries are
    looked up by term (source path, doc_id), and only the paths' lexicon is ever listed.
    """

    def __init__(self, ix: FileIndex | None) -> None:
        self._searcher = ix.searcher() if ix is not None else None
        self._reader = self._searcher.reader() if self._searcher is not None else None
        self._empty = self._reader is None or self._reader.doc_count_all() == 0
        self._columns: dict[str, Any] = {}
        self._entries: dict[str, tuple[str, list[str]] | None] = {}

    def _column(self, name: str) -> Any:
        if name not in self._columns:
            self._columns[name] = self._reader.column_reader(name)
        return self._columns[name]

    def _docs(self, field_name: str, value: str) -> list[int]:
        # One term, no "role" clause: intersecting with role=doc would walk every document.
        if self._empty:
            return []
        return list(self._searcher.docs_for_query(Term(field_name, value)))

    def entry(self, path: str) -> tuple[str, list[str]] | None:
        """(sha256, doc_ids) of the documents indexed from path, or None."""
        if path not in self._entries:
            docs = self._docs("source_path", path)  # only document records carry a path
            ids = self._column("doc_id") if docs else None
            self._entries[path] = (self._column("source_sha256")[docs[0]],
                                   [ids[n] for n in docs]) if docs else None
        return self._entries[path]

    def owner(self, doc_id: str) -> str | None:
        """The source path of an indexed doc_id ("" if it has none), None if not indexed."""
        docs = self._docs("doc_id", doc_id)
        if not docs:
            return None
        paths = self._column("source_path")
        return next((paths[n] for n in docs if paths[n]), "")

    def paths(self) -> list[str]:
        """Source paths in the index's lexicon (a path whose documents were all deleted may
        still be listed until its segment is merged: check with has_documents)."""
        if self._empty:
            return []
        return [p for p in self._reader.field_terms("source_path") if p]

    def has_documents(self, path: str) -> bool:
        """True if documents from path are in the index (without reading them all)."""
        if self._empty:
            return False
        return next(iter(self._searcher.docs_for_query(Term("source_path", path))), None) \
            is not None

    def source_files(self, doc_id: str) -> list[str]:
        """The files an indexed document was read from (its stored sources)."""
        docs = self._docs("doc_id", doc_id)
        if not docs:
            return []
        stored = unpack_dict(self._searcher.stored_fields(docs[0])["doc"])
        return [s["path"] for s in stored.get("sources") or () if s.get("path")]

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()


def make_tasks(files: list[SourceFile], staging: Path, jobs: int,
               parse_seconds: float | None = None, limits: Limits = DEFAULT_LIMITS) -> list[Task]:
    """Group the files into tasks of bounded size; a big file's parts get a task each."""
    # Enough tasks to keep every worker busy and to commit as the batch goes.
    per_task = max(8, min(TASK_FILES, -(-len(files) // (4 * jobs))))
    tasks: list[Task] = []
    batch: list[Item] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if batch:
            number = len(tasks)
            tasks.append(Task(number, staging / f"t{number:05d}", tuple(batch), parse_seconds,
                              limits))
            batch, size = [], 0

    for f in files:
        if f.parts > 1:
            flush()
            for part in range(f.parts):
                batch = [Item(f.order, f.path, part, f.parts)]
                flush()
            continue
        for member in f.members or (f.path,):
            try:
                size += member.stat().st_size
            except OSError:
                pass
        batch.append(Item(f.order, f.path, 0, 1, f.members, f.doc_id, f.ids))
        if size >= TASK_BYTES or len(batch) >= per_task:
            flush()
    flush()
    return tasks


class Batch:
    """The parent's side of a batch: accept files in order, commit staged segments."""

    def __init__(self, root: Path, folder: Path, manifest: Manifest, files: list[SourceFile],
                 progress: Progress | None,
                 merge_policy: Callable[[int], MergePolicy] = tiered, prune: bool = False) -> None:
        self.root = root
        self.prune = prune  # else a group member's document stays when its file is gone
        self.missing: list[str] = []  # such files: their documents kept
        self.removed: list[str] = []  # such files under --prune: their documents deleted
        self.merge_policy = merge_policy  # bytes this commit adds → which segments to merge
        self.ix = open_whoosh(folder, durable=True, mapped=False)
        self.folder = folder
        self.manifest = manifest
        self.files = files
        self.owners: dict[str, str | None] = {}  # doc_id → source path, as far as looked up
        self.claimed: dict[str, str] = {}  # doc_id → source path accepted in this batch
        self.accepted: set[str] = set()  # every file whose documents this batch accepted
        self.deletes: set[str] = set()
        self.staged: list[TaskResult] = []
        self.results: dict[int, TaskResult] = {}
        self.next_result = 0
        self.last_commit = time.monotonic()
        self.progress = progress
        self.done = 0.0
        self.total = len(files)
        self.added: list[str] = []
        self.updated: list[str] = []
        self.failed: list[Failure] = []
        self.warnings: list[Warned] = []
        self.documents_added = 0
        self.documents_removed = 0
        self.titles_derived = 0

    # accepting, in file order

    def take(self, result: TaskResult) -> None:
        """Record a finished task; handle every task that is now next in order."""
        self.results[result.number] = result
        while self.next_result in self.results:
            res = self.results.pop(self.next_result)
            self.next_result += 1
            self.staged.append(res)
            for item in res.items:
                self._take_item(res, item)

    def _take_item(self, res: TaskResult, item: ItemResult) -> None:
        f = self.files[item.file]
        f.spans.append((res.number, item.first, item.end))
        f.warnings.extend(item.warnings)
        f.member_failures.extend(Failure(p, r) for p, r in item.failures)
        if item.failure is not None:
            f.failure = f.failure or item.failure
        elif f.done_parts and item.sha != f.sha:
            f.failure = f.failure or "文件在读取过程中被改动；请重新运行"
        else:
            f.sha = item.sha
            f.doc_ids.extend(item.doc_ids)
            f.titles_derived += item.titles_derived
        f.done_parts += 1
        if self.progress is not None:
            self.done += 1 / f.parts
            self.progress(self.done, self.total)
        if f.done_parts == f.parts:
            self._decide(f)

    def _conflict(self, f: SourceFile) -> str | None:
        if not f.doc_ids:
            return "文件中没有文档"
        seen: set[str] = set()
        for d in f.doc_ids:
            if d in seen:
                return f"文档编号 {d} 在本文件中出现不止一次"
            seen.add(d)
            other = self.claimed.get(d) or self._owner(d)
            # An owner in the same folder (not claimed in this batch): the folder was read as
            # one group before (ingest.batch), and the id is this file's own name's.
            if other and other not in f.paths and (d in self.claimed or (
                    os.path.exists(other) and Path(other).parent != f.path.parent)):
                return (f"文档编号 {d} 已被 {other} 使用；文档编号取自文件名"
                        "（JSON Lines 取自 id 字段）：请将其中一个改名")
        return None

    def _decide(self, f: SourceFile) -> None:
        f.failure = f.failure or self._conflict(f)
        self.failed.extend(f.member_failures)  # reported alone; the group's others go on
        if f.warnings:
            self.warnings.append(Warned(str(f.path), tuple(f.warnings)))
        if f.failure is not None:
            self.failed.append(Failure(str(f.path), f.failure))
            for number, first, end in f.spans:  # nothing of it reaches the index
                segment = next(r.segment for r in self.staged if r.number == number)
                for docnum in range(first, end):
                    segment.delete_document(docnum)
            return
        key = str(f.path)
        old = [d for p in f.paths for d in (self.manifest.entry(p) or ("", []))[1]]
        for d in set(old) - set(f.doc_ids):  # a folder group lost a file
            files = self.manifest.source_files(d)
            if files and not any(os.path.exists(p) for p in files):
                if self.prune:
                    self.removed.extend(files)
                else:  # its document stays, as a lone file's does
                    old.remove(d)
                    self.missing.extend(files)
        self.deletes.update(old)
        self.deletes.update(d for d in f.doc_ids if self._owner(d) not in (None, key))
        self.documents_removed += len(old)
        for d in f.doc_ids:
            self.claimed[d] = key
            self.owners[d] = key
        self.documents_added += len(f.doc_ids)
        failed = {m.path for m in f.member_failures}
        read = [p for p in f.paths if p not in failed]
        keep_files(self.root, read)  # before the commit that names them (index.originals)
        self.titles_derived += f.titles_derived
        self.accepted.update(read)
        (self.updated if f.status == "updated" else self.added).extend(read)

    def _owner(self, doc_id: str) -> str | None:
        if doc_id not in self.owners:
            self.owners[doc_id] = self.manifest.owner(doc_id)
        return self.owners[doc_id]

    # committing

    def ready(self) -> bool:
        """True at a task boundary where no file is half done."""
        return all(f.done_parts in (0, f.parts) for f in self.files)

    def maybe_commit(self) -> None:
        if time.monotonic() - self.last_commit >= COMMIT_SECONDS and self.ready():
            self.commit()

    def commit(self, extra_deletes: set[str] = frozenset(), final: bool = False) -> None:
        """Make the staged segments and the pending deletions visible in one step."""
        deletes = self.deletes | (extra_deletes - set(self.claimed))
        staged = [r for r in self.staged if r.segment is not None and
                  r.segment.deleted_count() < r.segment.doc_count_all()]
        if not staged and not deletes:
            self.last_commit = time.monotonic()
            return
        writer = SegmentWriter(self.ix, timeout=5.0, limitmb=WRITER_POOL_MB)
        try:
            for doc_id in sorted(deletes):
                writer.delete_by_term("doc_id", doc_id)
            added = sum(os.path.getsize(self._staged_path(r)) for r in staged)
            for r in staged:
                os.replace(self._staged_path(r), self.folder / str(r.seg_file))
            gen.fsync_dir(self.folder)
            segments = self.merge_policy(added)(writer, writer.segments) if final \
                else writer.segments
            if writer._added:
                segments.append(writer._finalize_segment())
            else:
                writer._close_segment()
            writer._commit_toc(segments + [r.segment for r in staged])
            writer._finish()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        for r in self.staged:
            shutil.rmtree(self._staged_dir(r), ignore_errors=True)
        self.staged, self.deletes = [], set()
        self.last_commit = time.monotonic()

    def _staged_dir(self, r: TaskResult) -> Path:
        return self.root / gen.STAGING / f"t{r.number:05d}"

    def _staged_path(self, r: TaskResult) -> Path:
        return self._staged_dir(r) / str(r.seg_file)
