"""The public face of the index: open or create one, and the Index that reads and writes it.

Reading is :mod:`index.search.reader`, small writes are :mod:`index.write.writer`; big batches
(``gongwen ingest``) go through :mod:`index.write.sync`. The folder on disk is
:mod:`index.layout`, the schema and its version :mod:`index.schema`.
"""
from __future__ import annotations

from pathlib import Path
from types import TracebackType

from index import layout as gen
from index.analysis import ensure_analysis
from index.layout import WriteLock, can_create, create_generation, open_whoosh, point_to
from index.schema import check_version
from index.search.caches import DEFAULT_CACHE_MB, CacheBudget
from index.search.reader import IndexReader
from index.types import IndexError_
from index.write.writer import IndexWriter


class Index(IndexReader, IndexWriter):
    """A search index on disk. Safe to share between the threads of one process."""

    def __enter__(self) -> Index:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


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


def open_index(path: Path, cache_mb: int = DEFAULT_CACHE_MB) -> Index:
    """The index at path; IndexError_ if there is none, IndexVersionError if it is outdated.

    cache_mb: megabytes its caches may hold, all threads together (index.search.caches)."""
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
    return Index(path, pointer, ix, CacheBudget.of_megabytes(cache_mb))
