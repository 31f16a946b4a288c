"""Citations as links (issue 12): the 《title》s a document cites, resolved to the documents of
the index they name, and the documents that cite it, with the citing passage.

Every lookup is a term of a field written for it (:func:`index.analysis.terms.citation_fields`:
``titles``, ``cites_no``; ``doc_number``; ``cites``), never a walk over the documents; only the
documents found are read.
"""
from __future__ import annotations


from whoosh.query import Term
from whoosh.searching import Searcher

from index.analysis import normalize_doc_number
from index.analysis.terms import issued_titles, match_key, title_key, title_keys
from index.records import stored_document
from index.types import Citation, CitedBy, DocRef
from ingest.model import Document, Reference

MAX_CITED_BY = 50  # citing documents read for one page, newest first


class Documents:
    """Stored documents of one searcher, each read once."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._docs: dict[int, Document] = {}

    def find(self, field: str, term: str) -> list[int]:
        """Record numbers of the live documents with the term in the field."""
        if not term or field not in self.searcher.schema:
            return []
        return list(self.searcher.docs_for_query(Term(field, term)))

    def get(self, n: int) -> Document:
        if n not in self._docs:
            self._docs[n] = stored_document(self.searcher.stored_fields(n))
        return self._docs[n]

    def newest_first(self, numbers: set[int]) -> list[int]:
        """Record numbers by date, newest first (undated last), then by record."""
        dates = self.searcher.reader().column_reader("date")
        return sorted(numbers, key=lambda n: (-(dates[n] or 0), n))


def doc_ref(doc: Document) -> DocRef:
    """The page's view of a document: id, title, type, date, issue."""
    issue = f"《{doc.bulletin.name}》{doc.bulletin.issue_label}" if doc.bulletin else None
    return DocRef(doc.doc_id, doc.title, doc.doc_type, doc.date, issue, doc.sample)


def resolve_citations(docs: Documents, doc: Document) -> tuple[Citation, ...]:
    """Each reference of the document with the indexed document it names, or None (未收录)."""
    out = []
    for ref in doc.references:
        target = _target(docs, doc, ref)
        out.append(Citation(ref.title, ref.doc_number, doc_ref(target) if target else None))
    return tuple(out)


def _target(docs: Documents, doc: Document, ref: Reference) -> Document | None:
    """The document a reference names: by 发文字号 and title, by 发文字号, else by title."""
    key = match_key(ref.title)
    if key in title_keys(doc):  # the work this notice issues (印发《X》的通知): itself
        return doc
    by_title = set(docs.find("titles", key))
    by_number = set(docs.find("doc_number", normalize_doc_number(ref.doc_number))) \
        if ref.doc_number else set()
    found = [docs.get(n) for n in sorted((by_title & by_number) or by_number or by_title)]
    found = [d for d in found if d.doc_id != doc.doc_id]
    if not found:
        return _work(docs, doc, ref)

    # The document titled so before the notice issuing it; of two versions, the one in force
    # when the citing document was written (the newest not after it), else the oldest.
    def rank(d: Document) -> tuple:
        later = doc.date is not None and d.date is not None and d.date > doc.date
        when = d.date.toordinal() if d.date else 0
        return (match_key(d.title) != key, later, when if later else -when, d.doc_id)

    return min(found, key=rank)


def _work(docs: Documents, doc: Document, ref: Reference) -> Document | None:
    """A work indexed in parts (a law as one record per article): its first record indexed."""
    for n in sorted(docs.find("work", title_key(ref.title)))[:2]:
        first = docs.get(n)
        if first.doc_id != doc.doc_id and first.bulletin is None:  # a bulletin's name: a series
            return first
    return None


def cite_keys(doc: Document) -> tuple[list[str], str | None]:
    """The `cites` terms a citation of this document is written under, and its `cites_no`."""
    titles = [doc.title] + issued_titles(doc.title)
    number = normalize_doc_number(doc.doc_number) if doc.doc_number else None
    return list(dict.fromkeys(title_key(t) for t in titles if t)), number


def cited_by(docs: Documents, doc: Document,
             limit: int = MAX_CITED_BY) -> tuple[tuple[CitedBy, ...], int]:
    """The documents citing this one (newest first, at most limit) and how many there are."""
    keys, number = cite_keys(doc)
    found: set[int] = set()
    for key in keys:
        found.update(docs.find("cites", key))
    if number:
        found.update(docs.find("cites_no", number))
    found -= set(docs.find("doc_id", doc.doc_id))  # a notice citing the work it issues
    match_keys = {match_key(k) for k in keys}
    ordered = docs.newest_first(found)
    shown = tuple(_citing(docs.get(n), match_keys, number) for n in ordered[:limit])
    return shown, len(ordered)


def _citing(citing: Document, keys: set[str], number: str | None) -> CitedBy:
    """The citing document with its first passage that cites the title (or the number)."""
    as_written = [r.title for r in citing.references
                  if match_key(r.title) in keys or
                  (number and r.doc_number and normalize_doc_number(r.doc_number) == number)]
    as_written += [t for t in issued_titles(citing.title) if match_key(t) in keys]
    cited_as = as_written[0] if as_written else ""
    marks = [f"《{t}》" for t in as_written]
    for passage in citing.passages():
        if any(m in passage.text for m in marks) or (number and number in passage.text):
            return CitedBy(doc_ref(citing), passage.id, passage.text, cited_as)
    return CitedBy(doc_ref(citing), None, citing.title, cited_as)
