"""Filling an index from files on disk: the library behind `gongwen ingest` and `gongwen serve`."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index import Index, create_index, open_index
from ingest import ingest_paths
from ingest.model import ParseError


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did: documents indexed, files seen, files that failed."""

    indexed: int
    files: int
    failures: tuple[ParseError, ...] = ()
    created: bool = False  # the index did not exist before this run

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        """已索引 N 篇文档（M 个文件），失败 K 个"""
        return f"已索引 {self.indexed} 篇文档（{self.files} 个文件），失败 {len(self.failures)} 个"

    def failure_lines(self) -> list[str]:
        """One line per failed file: 失败: <path>: <reason>."""
        return [f"失败: {f.path}: {f.reason}" for f in self.failures]


def bundled_corpus() -> Path:
    """The demo corpus shipped at the repository root (corpus/)."""
    import search_app

    return Path(search_app.__file__).resolve().parents[1] / "corpus"


def index_exists(path: Path) -> bool:
    """True if something is at path that should be opened rather than created."""
    return path.is_dir() and any(path.iterdir())


def open_or_create(path: Path) -> tuple[Index, bool]:
    """Open the index at path, creating it (and its parents) when nothing is there yet."""
    if index_exists(path):
        return open_index(path), False
    path.mkdir(parents=True, exist_ok=True)
    return create_index(path), True


def ingest_into_index(paths: Iterable[Path], index_path: Path) -> IngestSummary:
    """Parse files and folders, then add every document that parsed to the index."""
    report = ingest_paths(list(paths))
    index, created = open_or_create(index_path)
    try:
        indexed = index.add_documents(report.documents) if report.documents else 0
    finally:
        index.close()
    return IngestSummary(indexed=indexed, files=report.files,
                         failures=tuple(report.failures), created=created)
