"""The format registry: which parser reads a file, chosen by its extension."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..model import Document, Source
from ..normalize import fold_document

Parser = Callable[[Path, bytes, str, Source], list[Document]]


@dataclass(frozen=True)
class Format:
    """A parser (module and function, imported on first use) and the name recorded in Source.

    pdfplumber, bs4 and python-docx take about 0.4 s to import: a command that reads no such
    file (a search, a batch of text files) should not wait for them.
    """

    name: str
    module: str  # in this package
    function: str

    @property
    def parse(self) -> Parser:
        parser = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.function)

        def parse_folded(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
            # metadata taken verbatim (JSON fields, file names) has not been through normalize_inline
            return [fold_document(doc) for doc in parser(path, data, doc_id, source)]

        return parse_folded


FORMATS: dict[str, Format] = {
    ".txt": Format("text", "text", "parse_text"),
    ".md": Format("text", "text", "parse_text"),
    ".pdf": Format("pdf", "pdf", "parse_pdf"),
    ".docx": Format("docx", "docx", "parse_docx"),
    ".doc": Format("doc", "doc", "parse_doc"),
    ".wps": Format("wps", "doc", "parse_doc"),
    ".html": Format("html", "html", "parse_html"),
    ".htm": Format("html", "html", "parse_html"),
    ".jsonl": Format("jsonl", "jsonl", "parse_jsonl"),
    ".jsonl.gz": Format("jsonl", "jsonl", "parse_jsonl"),
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
