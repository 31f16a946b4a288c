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
import re
from dataclasses import dataclass
from pathlib import Path
from contextlib import nullcontext
from typing import Callable, Collection, ContextManager, Iterable, Mapping

from .formats import SUPPORTED_EXTENSIONS, extension_of, format_for
from .attachments import link_attachments, mark_inline_attachments
from .limits import DEFAULT_LIMITS, Limits, file_sha256, not_regular, os_reason
from .model import Document, ParseError
from .pipeline import ParsedPart, _hidden, doc_id_for, parse_part
from .variants import merge_variants, source_rank

PART_BYTES = 6 * 1024 * 1024  # a JSON Lines file bigger than this is parsed in parts
# A small folder that looks like one notice's files (an attachment by name, or files of more
# than one format: 通知.docx + 附件.pdf, X.html + its printed PDF) is read as one group: a
# notice and its attachments, or one document sent as files of different names, are found
# only by reading them together, and a change to one re-reads them all. Other folders (one
# format, an archive) are read by stem, so that one file's change re-reads only it.
FOLDER_FILES = 16
_ATTACHMENT_NAME = re.compile(r"^\s*附\s*件")


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
    """Files read together as one unit: the same stem in the same folder (X.docx, X.pdf), or
    a small folder's files (see FOLDER_FILES).

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

    @property
    def stems(self) -> tuple[str, ...]:
        """The ids its files' names give, the best file's first (several for a folder)."""
        if self.doc_id is None:
            return ()
        return tuple(dict.fromkeys(doc_id_for(p) for p in self.files))


def group_sources(files: Iterable[Path], named: Collection[Path] = ()
                  ) -> tuple[SourceGroup, ...]:
    """The files grouped by folder and id-giving stem, in the order of their first file; a
    small folder that looks like one notice's files as one group (see FOLDER_FILES).

    A file named alone (in named) brings its namesakes in its folder along (its whole folder
    when small): the group is the unit the index knows, so `ingest X.pdf` re-reads X.docx
    with it rather than split it.
    """
    groups: dict[tuple[Path, str], set[Path]] = {}
    listed: dict[Path, dict[str, list[Path]]] = {}
    together: dict[Path, bool] = {}  # folder → read as one group
    for path in files:
        if extension_of(path) in (".jsonl", ".jsonl.gz"):
            key = (path, "")
        else:
            if path.parent not in together:
                together[path.parent] = _together(path.parent)
            key = (path.parent, "" if together[path.parent] else doc_id_for(path))
        groups.setdefault(key, set()).add(path)
    for (folder, doc_id), members in groups.items():
        if folder.is_dir() and not members.isdisjoint(named):
            near = _namesakes(folder, listed)
            members.update(p for stem, paths in near.items() if not doc_id or stem == doc_id
                           for p in paths)
    return tuple(SourceGroup(tuple(sorted(g, key=source_rank))) for g in groups.values())


def _together(folder: Path) -> bool:
    """The folder's files are read as one group (see FOLDER_FILES); a quick listing by name."""
    count = 0
    formats: set[str] = set()
    attachment = False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.name)
                ext = extension_of(path)
                if _hidden(entry.name) or ext not in SUPPORTED_EXTENSIONS or \
                        ext in (".jsonl", ".jsonl.gz"):
                    continue
                count += 1
                if count > FOLDER_FILES:
                    return False
                fmt = format_for(path)
                formats.add(fmt.name if fmt else ext)
                attachment = attachment or bool(_ATTACHMENT_NAME.match(entry.name))
    except OSError:
        return False
    return count > 1 and (attachment or len(formats) > 1)


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


def parse_group(files: tuple[Path, ...], doc_id: str, limits: Limits = DEFAULT_LIMITS,
                ids: Mapping[str, str] | None = None,
                guard: Callable[[Path], ContextManager[None]] | None = None) -> ParsedPart:
    """The documents of a group of files, one per document they hold (see ingest.variants),
    attachments linked to their notice (see ingest.attachments).

    ids: the id of each stem of a folder group (default: doc_id for the first, the name's for
    the others). A stem that cannot be read fails alone (ParsedPart.failures) unless it is the
    group's only one; the digest then leaves it out, so the next batch reads it again.
    guard(first file of a stem) wraps the reading of each stem (the batch's time limit: it
    raises ParseError naming that file, so one slow file does not fail its neighbours).
    """
    stems: dict[str, list[Path]] = {}
    for path in files:
        stems.setdefault(doc_id_for(Path(path)), []).append(Path(path))
    ids = dict(ids or {})
    ids.setdefault(next(iter(stems)), doc_id)
    docs: list[Document] = []
    shas: list[tuple[Path, str]] = []
    warnings: list[str] = []
    failures: list[ParseError] = []
    for members in stems.values():
        try:
            with guard(members[0]) if guard is not None else nullcontext():
                parsed = _parse_stem(tuple(members), limits)
        except ParseError as e:
            if len(stems) == 1:
                raise
            failures.append(e)
            continue
        docs.extend(parsed.documents)
        shas.extend(parsed.shas)
        warnings.extend(parsed.warnings)
    if not docs and failures:
        raise failures[0]
    if len(files) == 1:
        docs = [dataclasses.replace(d, doc_id=doc_id) for d in docs]
    else:
        docs = merge_variants(docs, ids)
    docs = [mark_inline_attachments(d) for d in link_attachments(docs)]
    return ParsedPart(tuple(docs), group_digest(shas), tuple(warnings), tuple(failures))


@dataclass(frozen=True)
class _Stem:
    documents: tuple[Document, ...]
    shas: tuple[tuple[Path, str], ...]
    warnings: tuple[str, ...]


def _parse_stem(files: tuple[Path, ...], limits: Limits) -> _Stem:
    """The documents of one stem's files (X.docx, X.pdf): one unreadable file fails them all."""
    docs: list[Document] = []
    shas = []
    warnings: list[str] = []
    for path in files:
        try:
            parsed = parse_part(path, limits=limits)
        except ParseError as e:  # the stem is reported under its first file: name this one
            if path == files[0]:
                raise
            raise ParseError(files[0], f"同名文件 {path.name} 无法读取：{e.reason}") from e
        docs.extend(parsed.documents)
        shas.append((path, parsed.sha256))
        warnings.extend(parsed.warnings)
    return _Stem(tuple(docs), tuple(shas), tuple(warnings))


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
