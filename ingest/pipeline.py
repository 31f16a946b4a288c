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
from .model import Document, ParseError, Source


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
