"""Paths in, Documents out: walk folders, pick the parser, collect what failed and why."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .formats import SUPPORTED_EXTENSIONS, extension_of, format_for
from .formats.jsonl import jsonl_documents
from .model import Document, ParseError, Source
from .normalize import fold_document


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


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ParseError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise ParseError(path, "is a directory") from exc
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from exc


def parse_file(path: Path) -> list[Document]:
    """One Document per file (one per line for .jsonl); ParseError for anything unreadable."""
    path = Path(path)
    fmt = format_for(path)
    if fmt is None:
        raise ParseError(path, f"unsupported file type {path.suffix.lower() or '(none)'}")
    data = _read(path)
    if not data.strip():
        raise ParseError(path, "empty file")
    source = Source(path=str(path), format=fmt.name, sha256=hashlib.sha256(data).hexdigest())
    try:
        return fmt.parse(path, data, doc_id_for(path), source)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug or a library surprise must not escape as another type
        raise ParseError(path, f"cannot parse ({type(exc).__name__}: {exc})") from exc


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


def find_sources(paths: Iterable[Path]) -> SourceList:
    """Files named explicitly (whatever their type), and files inside folders, resolved."""
    files: dict[Path, None] = {}
    skipped: list[ParseError] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files[path.resolve()] = None
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            for name in sorted(names):
                child = (Path(root) / name).resolve()
                if _hidden(name):
                    continue
                if extension_of(child) in SUPPORTED_EXTENSIONS:
                    files[child] = None
                else:
                    skipped.append(ParseError(child, "unsupported file type "
                                                     f"{child.suffix.lower() or '(none)'}"))
    return SourceList(tuple(files), tuple(skipped))


def hash_file(path: Path) -> str:
    """sha256 of the file's bytes; ParseError if it cannot be read."""
    return hashlib.sha256(_read(Path(path))).hexdigest()


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
    """The documents of one part of one file, and the sha256 of the bytes they came from."""

    documents: tuple[Document, ...]
    sha256: str


def parse_part(path: Path, part: int = 0, parts: int = 1) -> ParsedPart:
    """Documents of lines [part/parts, (part+1)/parts) of a JSON Lines file, or of a whole file."""
    path = Path(path)
    if parts == 1:
        docs = parse_file(path)
        sha = docs[0].source.sha256 if docs and docs[0].source else hash_file(path)
        return ParsedPart(tuple(docs), sha or "")
    data = _read(path)
    sha = hashlib.sha256(data).hexdigest()
    source = Source(path=str(path), format="jsonl", sha256=sha)
    try:
        docs = jsonl_documents(path, data, source, part, parts)
        return ParsedPart(tuple(map(fold_document, docs)), sha)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug must not escape as another type
        raise ParseError(path, f"cannot parse ({type(exc).__name__}: {exc})") from exc
