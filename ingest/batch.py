"""What a batch (``gongwen ingest``) asks of ingest: the source files under some paths, the hash
of one, how many parts it is parsed in, and the Documents of one part.

This is all the index's write path (:mod:`index.write`) calls in ingest; it knows nothing
of segments or commits.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable

from .formats import SUPPORTED_EXTENSIONS, extension_of
from .limits import DEFAULT_LIMITS, Limits, file_sha256, not_regular, os_reason
from .model import Document, ParseError
from .pipeline import ParsedPart, _hidden, doc_id_for, parse_part
from .variants import merge_variants, source_rank

PART_BYTES = 6 * 1024 * 1024  # a JSON Lines file bigger than this is parsed in parts


@dataclass(frozen=True)
class SourceList:
    """The files of a batch (absolute, resolved, each once) and the files skipped in folders."""

    files: tuple[Path, ...]
    skipped: tuple[ParseError, ...]  # unsupported types found inside folders: reported, not failed
    named: frozenset[Path] = frozenset()  # the files named explicitly (not found in a folder)


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
    named: set[Path] = set()
    for path in map(Path, paths):
        if not path.is_dir():
            files[_resolved(path)] = None
            named.add(_resolved(path))
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
    return SourceList(tuple(files), tuple(skipped), frozenset(named))


@dataclass(frozen=True)
class SourceGroup:
    """Files read together as one unit: the same stem in the same folder (X.docx, X.pdf).

    A JSON Lines file, which names its documents itself, is always a group of its own.
    """

    files: tuple[Path, ...]  # the best first (see ingest.variants.source_rank)

    @property
    def key(self) -> Path:
        """The file the group is known by in the index (its best file)."""
        return self.files[0]

    @property
    def doc_id(self) -> str | None:
        """The id its files' names give the group (None for JSON Lines: its records do)."""
        if extension_of(self.key) in (".jsonl", ".jsonl.gz"):
            return None
        return doc_id_for(self.key)


def group_sources(files: Iterable[Path], named: Collection[Path] = ()
                  ) -> tuple[SourceGroup, ...]:
    """The files grouped by folder and id-giving stem, in the order of their first file.

    A file named alone (in named) brings its namesakes in its folder along: the group is the
    unit the index knows, so `ingest X.pdf` re-reads X.docx with it rather than split it.
    """
    groups: dict[tuple[Path, str], set[Path]] = {}
    for path in files:
        solo = extension_of(path) in (".jsonl", ".jsonl.gz")
        groups.setdefault((path, "") if solo else (path.parent, doc_id_for(path)), set()).add(path)
    listed: dict[Path, dict[str, list[Path]]] = {}
    for (folder, doc_id), members in groups.items():
        if doc_id and not members.isdisjoint(named):
            members.update(_namesakes(folder, listed).get(doc_id, ()))
    return tuple(SourceGroup(tuple(sorted(g, key=source_rank))) for g in groups.values())


def _namesakes(folder: Path, listed: dict[Path, dict[str, list[Path]]]) -> dict[str, list[Path]]:
    """The folder's readable files by the id their names give (listed once per folder)."""
    if folder not in listed:
        names: dict[str, list[Path]] = {}
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            entries = []
        for name in entries:
            child = folder / name
            ext = extension_of(child)
            if not _hidden(name) and ext in SUPPORTED_EXTENSIONS and \
                    ext not in (".jsonl", ".jsonl.gz") and child.is_file():
                names.setdefault(doc_id_for(child), []).append(child.resolve())
        listed[folder] = names
    return listed[folder]


def group_digest(shas: Iterable[tuple[Path, str]]) -> str:
    """The group's fingerprint: a lone file's sha256, else one over each file's path and sha."""
    pairs = sorted((str(p), sha) for p, sha in shas)
    if len(pairs) == 1:
        return pairs[0][1]
    return hashlib.sha256("".join(f"{p}\0{sha}\n" for p, sha in pairs).encode()).hexdigest()


def parse_group(files: tuple[Path, ...], doc_id: str,
                limits: Limits = DEFAULT_LIMITS) -> ParsedPart:
    """The documents of a group of files, one per document they hold (see ingest.variants)."""
    docs: list[Document] = []
    shas = []
    warnings: list[str] = []
    for path in files:
        try:
            parsed = parse_part(Path(path), limits=limits)
        except ParseError as e:  # the group is reported under its first file: name this one
            if path == files[0]:
                raise
            raise ParseError(files[0], f"同名文件 {path.name} 无法读取：{e.reason}") from e
        docs.extend(parsed.documents)
        shas.append((path, parsed.sha256))
        warnings.extend(parsed.warnings)
    if len(files) == 1:
        docs = [dataclasses.replace(d, doc_id=doc_id) for d in docs]
    else:
        docs = merge_variants(docs, doc_id)
    return ParsedPart(tuple(docs), group_digest(shas), tuple(warnings))


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


__all__ = ["DEFAULT_LIMITS", "Limits", "ParsedPart", "SourceGroup", "SourceList", "find_sources",
           "group_digest", "group_sources", "hash_file", "parse_group", "parse_part", "part_count"]
