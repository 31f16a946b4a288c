"""What a batch (``gongwen ingest``) asks of ingest: the source files under some paths, the hash
of one, how many parts it is parsed in, and the Documents of one part.

This is all the index's write path (:mod:`index.write`) calls in ingest; it knows nothing
of segments or commits.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .formats import SUPPORTED_EXTENSIONS, extension_of
from .limits import DEFAULT_LIMITS, Limits, file_sha256, not_regular, os_reason
from .model import ParseError
from .pipeline import ParsedPart, _hidden, parse_part

PART_BYTES = 6 * 1024 * 1024  # a JSON Lines file bigger than this is parsed in parts


@dataclass(frozen=True)
class SourceList:
    """The files of a batch (absolute, resolved, each once) and the files skipped in folders."""

    files: tuple[Path, ...]
    skipped: tuple[ParseError, ...]  # unsupported types found inside folders: reported, not failed


def _problem(path: Path) -> str | None:
    """Why a path found in a folder is not read: a loop, a dangling link, not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return "符号链接指向的文件不存在，不读取"
        return f"{os_reason(exc)}，不读取"
    return not_regular(mode)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return path.absolute()


def find_sources(paths: Iterable[Path]) -> SourceList:
    """Files named explicitly (whatever their type), and files inside folders, resolved.

    Inside folders only regular files are taken: FIFOs, devices, sockets, symlink loops and
    dangling links are listed as skipped, with the reason.
    """
    files: dict[Path, None] = {}
    skipped: list[ParseError] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files[_resolved(path)] = None
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(names):
                if _hidden(name):
                    continue
                child = Path(root) / name
                problem = _problem(child)
                if problem is not None:  # the link's own path: its target is the trouble
                    skipped.append(ParseError(Path(os.path.abspath(child)), problem))
                elif extension_of(child) in SUPPORTED_EXTENSIONS:
                    files[_resolved(child)] = None
                else:
                    skipped.append(ParseError(_resolved(child), "不支持的文件类型 "
                                              f"{child.suffix.lower() or '（无扩展名）'}"))
    return SourceList(tuple(files), tuple(skipped))


def hash_file(path: Path) -> str:
    """sha256 of the file's bytes, streamed; ParseError if it is not a readable regular file."""
    return file_sha256(Path(path))


def part_count(path: Path) -> int:
    """How many parts the file is parsed in (only big JSON Lines files have more than one)."""
    if extension_of(path) not in (".jsonl", ".jsonl.gz"):
        return 1
    try:
        size = path.stat().st_size
    except OSError:
        return 1
    if path.name.lower().endswith(".gz"):
        size *= 4  # roughly what it inflates to
    return max(1, min(64, size // PART_BYTES))


__all__ = ["DEFAULT_LIMITS", "Limits", "ParsedPart", "SourceList", "find_sources", "hash_file", "parse_part", "part_count"]
