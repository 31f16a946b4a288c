"""Paths in, Documents out: walk folders, pick the parser, collect what failed and why."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from .formats import SUPPORTED_EXTENSIONS, extension_of, format_for
from .formats.jsonl import jsonl_documents
from .limits import (DEFAULT_LIMITS, LineReader, Limits, check_zip, file_sha256, not_regular,
                     os_reason, read_bytes)
from .model import Document, ParseError, Source
from .libwarnings import captured_warnings


@dataclass(frozen=True)
class IngestReport:
    """The outcome of a batch: the documents parsed and the files that could not be."""

    documents: tuple[Document, ...]
    failures: tuple[ParseError, ...]
    files: int


def doc_id_for(path: Path) -> str:
    """The file stem, NFKC-normalized, whitespace and anything outside [\\w.-] as "_"."""
    name = path.name
    ext = extension_of(path)
    stem = name[:-len(ext)] if ext and name.lower().endswith(ext) else path.stem
    stem = re.sub(r"\s+", "_", unicodedata.normalize("NFKC", stem).strip())
    return re.sub(r"[^\w.-]", "_", stem) or "_"


_TEXT_FORMATS = {"text", "html"}  # read whole: the file's size is its text's size, roughly


def _read(path: Path, fmt_name: str, limits: Limits) -> bytes:
    """The file's bytes, refused past the text limit for text formats (read no further)."""
    bound = limits.text_bytes if fmt_name in _TEXT_FORMATS else None
    data = read_bytes(path, bound)
    if bound is not None and len(data) > bound:
        raise ParseError(path, limits.text_too_big(_size(path, len(data))))
    return data


def _size(path: Path, at_least: int) -> int:
    try:
        return max(at_least, path.stat().st_size)
    except OSError:
        return at_least


def _check_text(path: Path, documents: list[Document], limits: Limits) -> None:
    """ParseError when one document's text is past the limit (a PDF or DOCX can yield that)."""
    for doc in documents:
        size = sum(len(p.text) for p in doc.passages()) * 3  # UTF-8, CJK: 3 bytes a character
        if size > limits.text_bytes:
            raise ParseError(path, limits.text_too_big(size))


def _cannot_parse(path: Path, exc: Exception) -> ParseError:
    return ParseError(path, f"无法解析（{type(exc).__name__}: {exc}）")


def parse_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Document]:
    """One Document per file (one per line for .jsonl); ParseError for anything unreadable."""
    return list(parse_part(path, limits=limits).documents)


def _parse_whole(path: Path, limits: Limits) -> ParsedPart:
    fmt = format_for(path)
    if fmt is None:
        raise ParseError(path, f"不支持的文件类型 {path.suffix.lower() or '（无扩展名）'}")
    data = _read(path, fmt.name, limits)
    if not data.strip():
        raise ParseError(path, "空文件")
    if fmt.name == "docx":
        check_zip(path, data, limits)
    sha = hashlib.sha256(data).hexdigest()
    source = Source(path=str(path), format=fmt.name, sha256=sha)
    with captured_warnings() as notes:
        documents = fmt.parse(path, data, doc_id_for(path), source)
    del data
    _check_text(path, documents, limits)
    return ParsedPart(tuple(documents), sha, tuple(notes))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named explicitly (whatever their type), and supported files inside folders, sorted."""
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(files):
                child = Path(root) / name
                if not _hidden(name) and extension_of(child) in SUPPORTED_EXTENSIONS:
                    yield child


def ingest_paths(paths: Iterable[Path]) -> IngestReport:
    """Parse every file under the paths; a bad file is reported and the batch goes on."""
    documents: list[Document] = []
    failures: list[ParseError] = []
    files = 0
    for path in iter_source_files(paths):
        files += 1
        try:
            documents.extend(parse_file(path))
        except ParseError as error:
            failures.append(error)
    return IngestReport(tuple(documents), tuple(failures), files)


# -- batches: what `gongwen ingest` feeds to the index, file by file and in parts -------------

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


@dataclass(frozen=True)
class ParsedPart:
    """The documents of one part of one file, the sha256 of its bytes, the parser's warnings."""

    documents: tuple[Document, ...]
    sha256: str
    warnings: tuple[str, ...] = ()


def parse_part(path: Path, part: int = 0, parts: int = 1,
               limits: Limits = DEFAULT_LIMITS) -> ParsedPart:
    """Documents of one part (every parts-th block of lines) of a JSON Lines file, or of a file."""
    path = Path(path)
    try:
        if format_for(path) is not None and format_for(path).name == "jsonl":  # type: ignore
            return _jsonl_part(path, part, parts, limits)
        return _parse_whole(path, limits)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug or a library surprise must not escape as another type
        raise _cannot_parse(path, exc) from exc


def _jsonl_part(path: Path, part: int, parts: int, limits: Limits) -> ParsedPart:
    """Streamed line by line: memory is bounded by one record, not by the file."""
    reader = LineReader(path, limits)
    source = Source(path=str(path), format="jsonl", sha256=None)
    documents = list(jsonl_documents(path, reader, source, part, parts))
    if parts == 1 and not documents:
        if reader.sha256 == hashlib.sha256(b"").hexdigest():
            raise ParseError(path, "空文件")
        raise ParseError(path, "文件中没有记录")
    # The hash is known only at the end: it goes into every document's source then.
    stamped = Source(path=str(path), format="jsonl", sha256=reader.sha256)
    return ParsedPart(tuple(replace(d, source=stamped) for d in documents), reader.sha256)
