"""One document, several files: X.docx beside X.pdf (or a PDF beside its HTML page).

Files with the same stem in the same folder are read together; those that hold the same
document (same 发文字号, or near-identical text) become one Document whose text comes from
the best file, whose pages come from the PDF, and which lists every original. Files that
share a stem but not a document keep documents of their own, with distinct ids.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

if TYPE_CHECKING:  # datasketch pulls in scipy (~0.3 s): imported when a group needs a sketch
    from datasketch import MinHash

from .attachments import own_number
from .formats import format_for
from .model import Document, Section, Source
from .pipeline import doc_id_for

# Text from a format that carries it as written beats a PDF's text layer (line breaks,
# headers and page numbers mixed in), which beats OCR.
FORMAT_RANK = {"docx": 0, "doc": 1, "wps": 1, "html": 2, "text": 3, "pdf": 4}
SAME_TEXT = 0.8  # character-bigram Jaccard from which two files hold the same document
# Files of different names in one folder: the same document only when their texts are nearly
# identical (Jaccard of character 5-gram sets, estimated by MinHash) or their 发文字号 agree.
SAME_SHINGLES = 0.9
SHINGLE = 5
_NOT_TEXT = re.compile(r"[\s\W_]+")


def source_rank(path: Path) -> tuple[int, str]:
    """Order of preference of a file among its group (best first), from its name alone."""
    fmt = format_for(path)
    return FORMAT_RANK.get(fmt.name if fmt else "", len(FORMAT_RANK)), path.name


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of the text, spaces and punctuation left out."""
    chars = _NOT_TEXT.sub("", text)
    return frozenset(chars[i:i + 2] for i in range(len(chars) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _rank(doc: Document) -> tuple[int, float]:
    passages = list(doc.passages())
    # A text layer beats OCR (Passage.ocr, where the OCR reader marks what it read).
    ocr = sum(bool(getattr(p, "ocr", False)) for p in passages) / max(1, len(passages))
    return FORMAT_RANK.get(_format(doc), len(FORMAT_RANK)), ocr


def minhash(text: str) -> MinHash:
    """MinHash of the set of character 5-grams of the text, spaces and punctuation left out."""
    from datasketch import MinHash

    chars = _NOT_TEXT.sub("", text)
    grams = {chars[i:i + SHINGLE] for i in range(max(1, len(chars) - SHINGLE + 1))}
    sketch = MinHash(num_perm=128)
    sketch.update_batch([g.encode("utf-8") for g in grams])
    return sketch


class _Likeness:
    """Whether two documents of one group are the same; text fingerprints made when asked."""

    def __init__(self) -> None:
        self.grams: dict[int, frozenset[str]] = {}
        self.sketches: dict[int, MinHash] = {}
        self.numbers: dict[int, str | None] = {}

    def same(self, a: Document, b: Document) -> bool:
        numbers = ("".join((a.doc_number or "").split()), "".join((b.doc_number or "").split()))
        if _stem(a) == _stem(b):
            if all(numbers):
                return numbers[0] == numbers[1]
            return jaccard(self._grams(a), self._grams(b)) >= SAME_TEXT
        if self._number(a) != self._number(b):  # a notice and its attachment stay two
            return False
        if all(numbers):
            return numbers[0] == numbers[1]
        return self._sketch(a).jaccard(self._sketch(b)) >= SAME_SHINGLES

    def _grams(self, doc: Document) -> frozenset[str]:
        if id(doc) not in self.grams:
            self.grams[id(doc)] = bigrams(doc.text)
        return self.grams[id(doc)]

    def _sketch(self, doc: Document) -> MinHash:
        if id(doc) not in self.sketches:
            self.sketches[id(doc)] = minhash(doc.text)
        return self.sketches[id(doc)]

    def _number(self, doc: Document) -> str | None:
        if id(doc) not in self.numbers:
            self.numbers[id(doc)] = own_number(doc)
        return self.numbers[id(doc)]


def _stem(doc: Document) -> str:
    return doc_id_for(Path(doc.source.path)) if doc.source is not None else ""


def merge_variants(docs: Sequence[Document], doc_id: str | Mapping[str, str]
                   ) -> list[Document]:
    """The documents of one group of files, the same document merged.

    doc_id: the group's id (one stem), or the id of each stem (a folder read as one group);
    a document takes its best file's id."""
    ordered = sorted(docs, key=lambda d: (_rank(d), d.source.path if d.source else ""))
    likeness = _Likeness()
    clusters: list[list[Document]] = []
    for doc in ordered:
        home = next((c for c in clusters if likeness.same(c[0], doc)), None)
        if home is None:
            clusters.append([doc])
        else:
            home.append(doc)
    # The best file's document keeps its stem's id; another document of the same stem that
    # id and its format (the same on every batch: the order depends on the files alone).
    ids: list[str] = []
    for n, cluster in enumerate(clusters):
        stem = _stem(cluster[0])
        mine = doc_id if isinstance(doc_id, str) else doc_id.get(stem, stem)
        ids.append(mine if mine not in ids else f"{mine}-{_format(cluster[0]) or n + 1}")
    return [_merge(c, i) for c, i in zip(clusters, ids)]


def _format(doc: Document) -> str:
    return doc.source.format if doc.source is not None else ""


def _merge(cluster: list[Document], doc_id: str) -> Document:
    best = cluster[0]
    if len(cluster) == 1:
        return dataclasses.replace(best, doc_id=doc_id)
    fill = {name: next((getattr(d, name) for d in cluster if getattr(d, name)), None)
            for name in ("issuer", "doc_number", "date", "kind", "bulletin")}
    extra = {}
    for d in reversed(cluster):  # the best file's values win
        extra.update({k: v for k, v in d.extra.items() if v})
    paged = next((d for d in cluster if any(p.page for p in d.passages())), None)
    sections = best.sections
    if paged is not None and paged is not best:
        sections = _with_pages(best.sections, paged)
    sources: tuple[Source, ...] = tuple(d.source for d in cluster if d.source is not None)
    return dataclasses.replace(best, doc_id=doc_id, sections=sections, sources=sources,
                               recipients=best.recipients or next(
                                   (d.recipients for d in cluster if d.recipients), {}),
                               references=best.references or next(
                                   (d.references for d in cluster if d.references), ()),
                               extra=extra, **fill)


def _with_pages(sections: tuple[Section, ...], paged: Document) -> tuple[Section, ...]:
    """The sections with each passage's page looked up in the PDF's text, in reading order."""
    pages: list[tuple[int, str]] = []  # (page, the page's text without spaces or punctuation)
    for passage in paged.passages():
        if passage.page is None:
            continue
        text = _NOT_TEXT.sub("", passage.text)
        if pages and pages[-1][0] == passage.page:
            pages[-1] = (passage.page, pages[-1][1] + text)
        else:
            pages.append((passage.page, text))
    at = 0  # pages run forward: search from the page the previous passage was found on
    result = []
    for section in sections:
        new = []
        for passage in section.passages:
            key = _NOT_TEXT.sub("", passage.text)[:16]
            found = next((i for i in range(at, len(pages)) if key and key in pages[i][1]), None)
            if found is None:  # split across a page break: try its start alone
                found = next((i for i in range(at, len(pages))
                              if key[:6] and key[:6] in pages[i][1]), None)
            at = found if found is not None else at
            page = pages[at][0] if pages else None
            new.append(dataclasses.replace(passage, page=page) if passage.page is None
                       else passage)
        result.append(dataclasses.replace(section, passages=tuple(new)))
    return tuple(result)

