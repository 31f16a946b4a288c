"""What the index records about a document for ranking beyond its words: the works it cites,
the work it belongs to, and its bulletin issue numbers.

Citation prior. Official documents cite the documents they rest on by title, in 《…》: a
notice cites the opinion it implements, a judicial interpretation the law it interprets. How
many documents in the index cite a work is a measure of its authority that comes from the
corpus itself (as links do on the web). A document's BM25 score is multiplied by
``1 + weight · ln(1 + citations of its work)``, so that among documents that match a question
about as well, the one the corpus leans on comes first; the prior never makes a document match.

A record's *work* is its title, less an article designation (中华人民共和国民法典 第九百四十九条
→ 中华人民共和国民法典), or its bulletin's name.
"""
from __future__ import annotations

from collections import Counter

import re
from typing import Any

import numpy as np

from index.analysis import normalize_text
from index.identifiers import issue_terms
from ingest.model import Document

_ARTICLE = re.compile(r"\s*第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?\s*$")
_CITED = re.compile(r"《([^《》\n]{1,120})》")


def title_key(title: str) -> str:
    """A title as an index term: normalized, no spaces or commas (field separators)."""
    return re.sub(r"[\s,]+", "", normalize_text(title))


def work_title(doc: Document) -> str:
    """The work a document belongs to: its bulletin's name, or its title less 第…条."""
    if doc.bulletin is not None and doc.bulletin.name:
        return doc.bulletin.name
    return _ARTICLE.sub("", doc.title) or doc.title


def cited_titles(doc: Document) -> list[str]:
    """Titles the document cites: its references, and a 《…》 in its own title."""
    titles = [r.title for r in doc.references] + _CITED.findall(doc.title)
    own = title_key(work_title(doc))
    return [t for t in dict.fromkeys(title_key(t) for t in titles) if t and t != own]


def ranking_fields(doc: Document) -> dict[str, Any]:
    """The fields of a document record that ranking reads: issue, cites, work."""
    out: dict[str, Any] = {"work": title_key(work_title(doc))}
    cites = cited_titles(doc)
    if cites:
        out["cites"] = " ".join(cites)
    if doc.bulletin is not None:
        terms = issue_terms(doc.bulletin.year, doc.bulletin.number, doc.bulletin.total_number)
        name = title_key(doc.bulletin.name)
        if terms:  # 第12期, and 改革快报第12期 for a query that names the bulletin too
            out["issue"] = " ".join(terms + tuple(name + t for t in terms if name))
    return out


def citation_counts(corpus: Any) -> np.ndarray:
    """For every record, how many records cite its work (0 where unknown)."""
    def build() -> np.ndarray:
        if "work" not in corpus.searcher.schema or "cites" not in corpus.searcher.schema:
            return np.zeros(corpus.size, dtype=np.float32)
        cited: Counter[str] = Counter()
        for leaf in corpus.leaves:  # per segment: a new commit reads only its own segment
            cited.update(corpus.per_segment(leaf, ("cites",), lambda leaf=leaf: _cites(leaf)))
        codes, works = corpus.codes("work")
        counts = np.array([cited.get(w, 0) if w else 0 for w in works], dtype=np.float32)
        return counts[codes]

    return corpus.cached(("citations",), build, keep=True)


def _cites(leaf: Any) -> dict[str, int]:
    """How many records of one segment cite each title."""
    reader = leaf.reader
    if "cites" not in reader.indexed_field_names():
        return {}
    return {term.decode("utf-8"): info.doc_frequency()  # whoosh yields the terms as bytes
            for term, info in reader.iter_field("cites")}
