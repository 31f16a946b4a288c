"""Worker processes of a batch: parse files and write their documents into a staged segment.

A task is a few files (or one part of a big JSON Lines file); its worker writes one whoosh
segment under the index's ``staging/`` folder with the bulk writer and tells the parent, per
file, the doc_ids it wrote and their document numbers, or why the file failed.
"""
from __future__ import annotations

import ctypes
import gc
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from index import layout as gen
from index.analysis import setup_analysis
from index.layout import INDEX_NAME
from index.schema import build_schema, document_record
from index.write.bulk import BulkSegmentWriter
from index.write.merge import WRITER_POOL_MB
from ingest.batch import DEFAULT_LIMITS, Limits, parse_group, parse_part
from ingest.model import ParseError


@dataclass(frozen=True)
class Item:
    """One file, or one part of a big JSON Lines file, to parse and index."""

    file: int  # SourceFile.order in the parent
    path: Path
    part: int
    parts: int
    files: tuple[Path, ...] = ()  # a group of files holding one document (see ingest.variants)
    doc_id: str | None = None  # the id the batch gives the group's documents
    ids: tuple[tuple[str, str], ...] = ()  # (stem, id) of each stem of a folder group


@dataclass(frozen=True)
class Task:
    """A worker's unit of work: its items go into one staged segment."""

    number: int
    staging: Path
    items: tuple[Item, ...]
    parse_seconds: float | None = None  # a file whose parsing takes longer fails
    limits: Limits = DEFAULT_LIMITS  # what one file may cost (text size, inflation)


@dataclass(frozen=True)
class ItemResult:
    """What became of one item: the doc_ids written, or why it failed."""

    file: int
    doc_ids: tuple[str, ...]
    sha: str
    first: int  # docnums [first, end) in the task's segment
    end: int
    failure: str | None
    warnings: tuple[str, ...] = ()  # what the parsing libraries warned
    titles_derived: int = 0  # documents whose title was taken from their text (JSON Lines)
    failures: tuple[tuple[str, str], ...] = ()  # (path, reason): files of a group failed alone


@dataclass(frozen=True)
class TaskResult:
    """A finished task: its items' results and the staged segment."""

    number: int
    items: tuple[ItemResult, ...]
    segment: Any  # a whoosh Segment, or None when nothing was written
    seg_file: str | None


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a killed batch (Linux: PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def init_worker(parent: int, userdicts: tuple[Path, ...]) -> None:
    """Pool initializer: die with the parent, leave Ctrl-C to it, load the dictionaries once."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    for path in userdicts:
        setup_analysis(path)


def run_task(task: Task) -> TaskResult:
    """Parse the task's files and write their documents into one staged segment."""
    task.staging.mkdir(parents=True, exist_ok=True)
    storage = gen.DurableFileStorage(str(task.staging))
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    writer = BulkSegmentWriter(ix, limitmb=WRITER_POOL_MB)
    results = []
    enabled = gc.isenabled()
    gc.disable()  # millions of small live objects: the collector would only slow us down
    try:
        for item in task.items:
            results.append(_index_item(writer, item, task.parse_seconds, task.limits))
        if writer.docnum == 0:
            writer.cancel()
            return TaskResult(task.number, tuple(results), None, None)
        segment = writer._finalize_segment()
        writer._finish()
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        if enabled:
            gc.enable()
    return TaskResult(task.number, tuple(results), segment, f"{segment.segment_id()}.seg")


class _TooSlow(BaseException):
    """Not an Exception: the format parsers' own handlers must not catch it."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _TooSlow in the block after seconds (main thread only: it uses SIGALRM)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _TooSlow()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _too_slow(seconds: float | None) -> str:
    return f"解析超过 {seconds or 0:g} 秒（文件损坏或异常？）；可用 --parse-seconds 延长时限"


@contextmanager
def _stem_limit(path: Path, seconds: float | None) -> Iterator[None]:
    """The time limit around one stem of a group: past it, a ParseError naming its file."""
    try:
        with _time_limit(seconds):
            yield
    except _TooSlow:
        raise ParseError(path, _too_slow(seconds)) from None


def _index_item(writer: BulkSegmentWriter, item: Item, parse_seconds: float | None,
                limits: Limits = DEFAULT_LIMITS) -> ItemResult:
    first = writer.docnum
    try:
        # A pathological PDF must not hold up the batch; in a group, it fails alone.
        if item.doc_id is None:
            with _time_limit(parse_seconds):
                parsed = parse_part(item.path, item.part, item.parts, limits)
        else:
            parsed = parse_group(item.files or (item.path,), item.doc_id, limits,
                                 dict(item.ids), guard=lambda path: _stem_limit(path, parse_seconds))
        for doc in parsed.documents:  # one record at a time: a part holds thousands
            record = document_record(doc)
            if len(item.files) > 1:  # the index knows a group by its first file and digest
                record.update(source_path=str(item.path), source_sha256=parsed.sha256)
            writer.add_document(**record)
    except _TooSlow:
        return ItemResult(item.file, (), "", first, writer.docnum, _too_slow(parse_seconds))
    except ParseError as e:
        return ItemResult(item.file, (), "", first, writer.docnum, e.reason)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        reason = f"无法索引（{type(e).__name__}: {e}）"
        return ItemResult(item.file, (), "", first, writer.docnum, reason)
    ids = tuple(doc.doc_id for doc in parsed.documents)
    return ItemResult(item.file, ids, parsed.sha256, first, writer.docnum, None,
                      parsed.warnings,
                      titles_derived=sum(d.extra.get("title_derived") == "true"
                                         for d in parsed.documents),
                      failures=tuple((e.path, e.reason) for e in parsed.failures))
