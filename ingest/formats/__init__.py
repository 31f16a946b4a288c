"""The format registry: which parser reads a file, chosen by its extension."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..model import Document, Source
from .docx import parse_docx
from .html import parse_html
from .jsonl import parse_jsonl
from .pdf import parse_pdf
from .text import parse_text

Parser = Callable[[Path, bytes, str, Source], list[Document]]


@dataclass(frozen=True)
class Format:
    """A parser and the name recorded in Source.format."""

    name: str
    parse: Parser


FORMATS: dict[str, Format] = {
    ".txt": Format("text", parse_text),
    ".md": Format("text", parse_text),
    ".pdf": Format("pdf", parse_pdf),
    ".docx": Format("docx", parse_docx),
    ".html": Format("html", parse_html),
    ".htm": Format("html", parse_html),
    ".jsonl": Format("jsonl", parse_jsonl),
    ".jsonl.gz": Format("jsonl", parse_jsonl),
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(FORMATS)


def extension_of(path: Path) -> str:
    """The extension that picks the parser: .pdf, .jsonl.gz … ('' when there is none)."""
    name = path.name.lower()
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return ext
    return path.suffix.lower()


def format_for(path: Path) -> Format | None:
    """The registered format for a path, or None when its type is not supported."""
    return FORMATS.get(extension_of(path))
