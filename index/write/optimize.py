"""`gongwen optimize`: merge every segment into one, off the user's path.

Ordinary commits merge only small segments (index.merging); big ones wait for this. It runs
under the index's write lock and commits like any batch (a new table of contents names the
merged segment), so a killed optimize leaves the index as it was, and a running server
answers throughout and sees the merged index on its next request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from whoosh.writing import SegmentWriter

from index import layout as gen
from index.layout import open_whoosh
from index.schema import check_version
from index.write.merge import WRITER_POOL_MB, describe, merge_all
from index.types import IndexError_


@dataclass(frozen=True)
class OptimizeReport:
    """Segments and bytes on disk before and after, and the seconds it took."""

    segments_before: int
    segments_after: int
    bytes_before: int
    bytes_after: int
    seconds: float


def segment_sizes(path: Path) -> list[int]:
    """Bytes on disk of each segment of the index at path, in table-of-contents order."""
    pointer = gen.read_pointer(Path(path))
    if pointer is None:
        raise IndexError_(f"no index at {path}; run `gongwen ingest ...` to build one")
    ix = open_whoosh(gen.generation_dir(Path(path), pointer), mapped=False)
    try:
        return [s.size for s in describe(ix.storage, ix._segments())]
    finally:
        ix.close()


def optimize_index(path: Path, wait: bool = False) -> OptimizeReport:
    """Merge all segments of the index at path into one, dropping deleted records."""
    root = Path(path)
    started = time.monotonic()
    with gen.WriteLock(root, wait=wait):
        pointer = gen.read_pointer(root)
        if pointer is None:
            raise IndexError_(f"no index at {root}; run `gongwen ingest ...` to build one")
        check_version(root, pointer)
        ix = open_whoosh(gen.generation_dir(root, pointer), durable=True, mapped=False)
        try:
            before = describe(ix.storage, ix._segments())
            writer = SegmentWriter(ix, timeout=5.0, limitmb=WRITER_POOL_MB)
            try:
                writer.commit(mergetype=merge_all)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            after = describe(ix.storage, ix._segments())
        except IndexError_:
            raise
        except Exception as e:  # noqa: BLE001 - one failure type for the layer above
            raise IndexError_(f"could not optimize index at {root}: {e}; "
                              "the index is unchanged") from e
        finally:
            ix.close()
    return OptimizeReport(len(before), len(after), sum(s.size for s in before),
                          sum(s.size for s in after), time.monotonic() - started)
