"""Filling an index from files on disk: the library behind `gongwen ingest` and `gongwen serve`."""
from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import PARSE_SECONDS, Failure, SyncReport, is_index, sync_paths
from ingest.limits import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did: files added, updated, unchanged, removed, failed."""

    report: SyncReport
    index: Path
    started: dt.datetime
    seconds: float

    @property
    def failures(self) -> tuple[Failure, ...]:
        return self.report.failed

    @property
    def indexed(self) -> int:
        """Documents written by this run."""
        return self.report.documents_added

    @property
    def files(self) -> int:
        """Source files looked at (skipped unsupported files not counted)."""
        r = self.report
        return len(r.added) + len(r.updated) + len(r.unchanged) + len(r.failed)

    @property
    def created(self) -> bool:
        return self.report.created

    @property
    def ok(self) -> bool:
        return not self.report.failed

    def line(self) -> str:
        """新增 N，更新 N，未变 N，删除 N，失败 N（写入 D 篇文档）"""
        r = self.report
        head = "重建索引：" if r.rebuilt else ""
        derived = f"，其中 {r.titles_derived} 篇的标题取自正文" if r.titles_derived else ""
        return (f"{head}新增 {len(r.added)}，更新 {len(r.updated)}，未变 {len(r.unchanged)}，"
                f"删除 {len(r.removed)}，失败 {len(r.failed)}（写入 {r.documents_added} 篇文档"
                f"{derived}）")

    def failure_lines(self) -> list[str]:
        """One line per failed file: 失败: <path>: <reason>."""
        return [f"失败: {f.path}: {f.reason}" for f in self.report.failed]

    def notice_lines(self) -> list[str]:
        """Skipped files and sources gone from disk whose documents stay (stderr)."""
        lines = [f"跳过: {f.path}: {f.reason}" for f in self.report.skipped]
        if self.report.warnings:
            lines.append(f"提示：{len(self.report.warnings)} 个文件解析时有程序库警告，"
                         "未在此显示；见 --report 的 warnings")
        if self.report.missing:
            lines.append(f"提示：{len(self.report.missing)} 个来源文件已不存在，其文档仍在索引中；"
                         "加 --prune 可将其删除")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The --report JSON object."""
        r = self.report
        return {
            "index": str(self.index),
            "started": self.started.isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 3),
            "rebuild": r.rebuilt,
            "created": r.created,
            "ok": self.ok,
            "summary": {"added": len(r.added), "updated": len(r.updated),
                        "unchanged": len(r.unchanged), "removed": len(r.removed),
                        "failed": len(r.failed)},
            "added": list(r.added),
            "updated": list(r.updated),
            "unchanged": len(r.unchanged),
            "removed": list(r.removed),
            "missing": list(r.missing),
            "failed": [{"path": f.path, "reason": f.reason} for f in r.failed],
            "skipped": [{"path": f.path, "reason": f.reason} for f in r.skipped],
            "warnings": [{"path": w.path, "warnings": list(w.warnings)} for w in r.warnings],
            "documents": {"added": r.documents_added, "removed": r.documents_removed},
            "titles_derived": r.titles_derived,  # documents added titled from their text
        }

    def write_report(self, path: Path) -> None:
        """Write the JSON report (UTF-8, Chinese kept as is)."""
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")


def bundled_corpus() -> Path:
    """The demo corpus shipped at the repository root (corpus/)."""
    import search_app

    return Path(search_app.__file__).resolve().parents[1] / "corpus"


def index_exists(path: Path) -> bool:
    """True if an index (of any version) is at path."""
    return is_index(path)


def ingest_into_index(paths: Iterable[Path], index_path: Path, *, prune: bool = False,
                      rebuild: bool = False, wait: bool = False, jobs: int | None = None,
                      parse_seconds: float | None = PARSE_SECONDS,
                      progress: Callable[[float, int], None] | None = None,
                      limits: Limits = DEFAULT_LIMITS) -> IngestSummary:
    """Sync the index with the files under paths: add new, replace changed, skip unchanged."""
    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    report = sync_paths(Path(index_path), [Path(p) for p in paths], prune=prune,
                        rebuild=rebuild, wait=wait, jobs=jobs, parse_seconds=parse_seconds,
                        progress=progress, limits=limits)
    return IngestSummary(report, Path(index_path), started, time.perf_counter() - t0)
