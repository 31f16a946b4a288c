"""Batch re-indexing: bring the index in line with a set of source files.

One batch holds the index's write lock from start to end. It hashes every file (sha256 of
its bytes) and compares with what the index records per source path: an unchanged file is
not even parsed, a changed one is parsed again and its old documents are deleted in the same
commit that adds the new ones, a new one is added. Files are parsed and indexed by worker
processes, each into a segment of its own under ``staging/``; the parent decides, file by
file and in a fixed order, what is accepted, and commits every second or so: the staged
segments move into the generation and one table of contents names them, together with the
deletions. A file's documents are always committed together, so a killed batch leaves the
last commit intact and the same batch, run again, does what is left.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from index import layout as gen
from index.layout import can_create, create_generation, open_whoosh, point_to
from index.schema import check_version
from index.types import IndexError_
from index.write.batch import (COMMIT_SECONDS, Batch, Failure, Manifest, Progress, SourceFile, Warned,
                               make_tasks, under)
from index.write.originals import keep_files, prune_files
from index.write.merge import MergePolicy, tiered
from index.write.workers import Task, init_worker, run_task
from ingest.batch import (SourceGroup, SourceList, find_sources, group_digest, group_sources,
                          hash_file, part_count)
from ingest.batch import DEFAULT_LIMITS, Limits
from index.types import PARSE_SECONDS
from ingest.model import ParseError

__all__ = ["Failure", "SyncReport", "sync_paths", "PARSE_SECONDS"]


@dataclass(frozen=True)
class SyncReport:
    """What a batch did, per source file."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()  # sources whose documents were removed
    missing: tuple[str, ...] = ()  # sources gone from disk whose documents were kept
    failed: tuple[Failure, ...] = ()
    skipped: tuple[Failure, ...] = ()  # unsupported files inside folders
    warnings: tuple[Warned, ...] = ()  # what the parsing libraries warned, per file
    documents_added: int = 0
    documents_removed: int = 0
    titles_derived: int = 0  # documents added whose title was taken from their text
    created: bool = False
    rebuilt: bool = False



def _run(batch: Batch, tasks: list[Task], jobs: int) -> None:
    """Run the tasks (in worker processes when there is more than one to do)."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            batch.take(run_task(task))
            batch.maybe_commit()
        return
    from index.analysis import _STATE  # the dictionaries to load in each worker

    userdicts = tuple(p for p, _ in _STATE.loaded)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=get_context("fork"),
                             initializer=init_worker,
                             initargs=(os.getpid(), userdicts)) as pool:
        running: set[Future] = {pool.submit(run_task, t) for t in tasks}
        try:
            while running:
                done, running = wait(running, timeout=COMMIT_SECONDS,
                                     return_when=FIRST_COMPLETED)
                for future in done:
                    batch.take(future.result())
                batch.maybe_commit()
        except BrokenProcessPool as e:
            raise IndexError_("有工作进程意外退出（内存不足或被终止）；已提交的内容都保留："
                              "请重新运行同一批次") from e
        except BaseException:
            for future in running:
                future.cancel()
            raise


def _kept_lost(known: list[tuple[str, list[str]]], manifest: Manifest) -> bool:
    """Whether a folder group holds a document kept when its own file went (Batch._decide):
    --prune reads the group again to drop it."""
    ids = [d for _, docs in known for d in docs]
    return len(ids) > 1 and any(
        (files := manifest.source_files(d)) and not any(map(os.path.exists, files)) for d in ids)


def balanced_parts(parts: int, jobs: int) -> int:
    """A big file's parts rounded up to a multiple of the workers: 5 parts on 2 workers took
    three rounds, the last with one worker idle; 6 smaller ones take three full rounds."""
    if parts <= 1 or jobs <= 1:
        return parts
    return -(-parts // jobs) * jobs


def _plan(sources: SourceList, manifest: Manifest, rebuild: bool, prune: bool = False,
          jobs: int = 1) -> tuple[list[SourceFile], list[str], list[Failure]]:
    """Hash every file: which groups to parse (new or changed), which are unchanged, which fail."""
    files: list[SourceFile] = []
    unchanged: list[str] = []
    failed: list[Failure] = []
    claimed: set[str] = set()  # ids given to groups parsed in this batch
    for group in group_sources(sources.files, sources.named):
        shas = []
        for path in group.files:
            try:
                shas.append((path, hash_file(path)))
            except ParseError as e:
                failed.append(Failure(str(path), e.reason))
        if len(shas) < len(group.files):
            continue
        sha = group_digest(shas)
        known = [] if rebuild else [e for e in map(manifest.entry, map(str, group.files)) if e]
        if [k[0] for k in known] == [sha] and not (prune and _kept_lost(known, manifest)):
            unchanged.extend(map(str, group.files))
            continue
        ids, heir = _own_ids(group, manifest, claimed)
        status = "updated" if known or heir else "added"
        parts = balanced_parts(part_count(group.key), jobs)
        files.append(SourceFile(len(files), group.key, sha, status, parts,
                                members=group.files, doc_id=ids[0][1] if ids else None,
                                ids=ids))
    return files, unchanged, failed


def _own_ids(group: SourceGroup, manifest: Manifest, claimed: set[str],
             ) -> tuple[tuple[tuple[str, str], ...], bool]:
    """(stem, id) for each stem of the group, and whether it takes over a document of a file
    gone from disk."""
    ids = []
    heir = False
    for stem in group.stems:
        doc_id, took_over = _own_id(stem, group, manifest, claimed)
        ids.append((stem, doc_id))
        heir = heir or took_over
    return tuple(ids), heir


def _own_id(doc_id: str, group: SourceGroup, manifest: Manifest, claimed: set[str],
            ) -> tuple[str, bool]:
    """A stem's id, and whether it takes over the document of a namesake gone from disk.

    The id is its name's, unless another file holds that; then one its folder makes. The file
    that had the name's id first keeps it; the id of the other is the same on every batch (it
    depends on the folder), so re-indexing replaces rather than duplicates.
    """
    owner = manifest.owner(doc_id)
    mine = {str(p) for p in group.files}
    # An owner in the same folder is no namesake: a folder group (ingest.batch) that knew
    # this stem's document under its first file, now read by stem.
    if doc_id in claimed or (owner and owner not in mine and os.path.exists(owner)
                             and Path(owner).parent != group.key.parent):
        folder = hashlib.sha256(str(group.key.parent).encode()).hexdigest()[:8]
        doc_id = f"{doc_id}-{folder}"
    claimed.add(doc_id)
    heir = bool(owner) and owner not in mine and Path(owner).parent == group.key.parent
    return doc_id, heir and not os.path.exists(owner)


def sync_paths(root: Path, paths: list[Path], *, prune: bool = False, rebuild: bool = False,
               wait: bool = False, jobs: int | None = None,
               parse_seconds: float | None = PARSE_SECONDS,
               progress: Progress | None = None, limits: Limits = DEFAULT_LIMITS,
               merge_policy: Callable[[int], MergePolicy] = tiered) -> SyncReport:
    """Bring the index at root in line with the files under paths (see the module docstring).

    merge_policy(bytes the batch adds) picks the segments the last commit merges
    (index.write.merge; benchmarks pass the old policy as a baseline)."""
    root = Path(root)
    jobs = jobs or os.cpu_count() or 1
    if not can_create(root) and gen.read_pointer(root) is None:
        raise IndexError_(f"{root} 不是索引目录（而且不是空目录）；请用 --index 另选目录")
    root.mkdir(parents=True, exist_ok=True)
    with gen.WriteLock(root, wait=wait):
        pointer = gen.read_pointer(root)
        created = pointer is None
        if pointer is not None and not rebuild:
            check_version(root, pointer)
        live = None if pointer is None else gen.generation_dir(root, pointer)
        gen.remove_stale(root, keep=live.name if live is not None and live != root else None)
        old = None
        if live is not None:
            try:
                old = Manifest(open_whoosh(live, mapped=False))
            except Exception as e:  # noqa: BLE001 - an old or damaged index
                if not rebuild:
                    raise IndexError_(f"无法读取索引 {root}：{e}") from e
        if pointer is None or rebuild:
            name, _ = create_generation(root)
            folder = root / name
            if created:
                point_to(root, name)  # an empty index is there from now on
        else:
            folder = live
        gen.clean_generation(folder)
        try:
            return _sync(root, folder, paths, old or Manifest(None), prune=prune,
                         rebuild=rebuild, created=created, jobs=jobs,
                         parse_seconds=parse_seconds, progress=progress, limits=limits,
                         merge_policy=merge_policy)
        finally:
            if old is not None:
                old.close()


def _sync(root: Path, folder: Path, paths: list[Path], old: Manifest, *, prune: bool,
          rebuild: bool, created: bool, jobs: int, parse_seconds: float | None,
          progress: Progress | None, limits: Limits,
          merge_policy: Callable[[int], MergePolicy]) -> SyncReport:
    sources = find_sources(paths)
    manifest = Manifest(None) if rebuild else old
    files, unchanged, failed = _plan(sources, manifest, rebuild, prune, jobs)
    batch = Batch(root, folder, manifest, files, progress, merge_policy, prune=prune)
    if progress is not None:
        progress(0, len(files))
    _run(batch, make_tasks(files, root / gen.STAGING, jobs, parse_seconds, limits), jobs)
    in_batch = {str(p) for p in sources.files}
    roots = [Path(p).resolve() for p in paths]
    gone = [p for p in manifest.paths() if p not in in_batch and under(p, roots)
            and not os.path.exists(p) and manifest.has_documents(p)]
    pruned: set[str] = set()
    if prune:
        for p in gone:
            pruned.update((manifest.entry(p) or ("", []))[1])
    batch.commit(extra_deletes=pruned, final=True)
    removed = sorted({*gone, *batch.removed}) if prune else []
    if rebuild:
        rebuilt = batch.accepted
        removed = sorted(p for p in old.paths() if p not in rebuilt and old.has_documents(p))
        point_to(root, folder.name)
    else:  # files indexed before originals were kept: keep them now
        for p in unchanged:
            keep_files(root, [p], known=(manifest.entry(p) or ("", []))[0])
    prune_files(root, batch.ix)  # after the pointer: the live index never names a removed file
    return SyncReport(
        added=tuple(batch.added), updated=tuple(batch.updated), unchanged=tuple(unchanged),
        removed=tuple(removed), missing=tuple([] if prune else sorted({*gone, *batch.missing})),
        failed=tuple(sorted(failed + batch.failed, key=lambda f: f.path)),  # a folder group's
        # files fail together at its turn: listed by path, as files read alone are
        skipped=tuple(Failure(e.path, e.reason) for e in sources.skipped),
        warnings=tuple(batch.warnings),
        documents_added=batch.documents_added,
        titles_derived=batch.titles_derived,
        documents_removed=batch.documents_removed + len(pruned - set(batch.claimed)),
        created=created, rebuilt=rebuild)
