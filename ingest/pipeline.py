"""Paths in, Documents out: walk folders, pick the parser, collect what failed and why."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from .formats import SUPPORTED_EXTENSIONS, extension_of, format_for
from .formats.jsonl import jsonl_documents
from .limits import DEFAULT_LIMITS, LineReader, Limits, check_zip, read_bytes
from .model import Document, ParseError, Source
from .libwarnings import captured_warnings
from .normalize import fold_cjk


@dataclass(frozen=True)
class IngestReport:
    """The outcome of a batch: the documents parsed and the files that could not be."""

    documents: tuple[Document, ...]
    failures: tuple[ParseError, ...]
    files: int

    @property
    def titles_derived(self) -> int:
        """Documents whose title was taken from their text (a JSON Lines record without one)."""
        return sum(1 for d in self.documents if d.extra.get("title_derived") == "true")


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


@dataclass(frozen=True)
class ParsedPart:
    """The documents of one part of one file, the sha256 of its bytes, the parser's warnings."""

    documents: tuple[Document, ...]
    sha256: str
    warnings: tuple[str, ...] = ()
    failures: tuple[ParseError, ...] = ()  # files of a folder group that could not be read


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
    warned: list[str] = []
    documents = list(jsonl_documents(path, reader, source, part, parts, warned))
    if parts == 1 and not documents:
        if reader.sha256 == hashlib.sha256(b"").hexdigest():
            raise ParseError(path, "空文件")
        raise ParseError(path, "文件中没有记录")
    # The hash is known only at the end: it goes into every document's source then (the path
    # folded, as jsonl_documents folded the documents).
    stamped = Source(path=fold_cjk(str(path)), format="jsonl", sha256=reader.sha256)
    return ParsedPart(tuple(replace(d, source=stamped) for d in documents), reader.sha256,
                      tuple(warned))


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
