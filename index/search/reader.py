"""The read half of an index: following the pointer, a searcher per thread, searching and
reading documents. :class:`index.store.Index` is this plus the small writes of
:mod:`index.write.writer`.
"""
from __future__ import annotations

import threading
import time
import weakref
from pathlib import Path
from typing import Any, Sequence

from whoosh.index import FileIndex
from whoosh.query import Term
from whoosh.searching import Searcher

from index import layout as gen
from index.layout import open_whoosh
from index.cards import Card, read_card
from index.records import stored_document
from index.schema import check_version, doc_numbers
from index.search import archive
from index.search.caches import DEFAULT_BUDGET, CacheBudget
from index.search.links import MAX_CITED_BY, Documents, cited_by, resolve_citations
from index.search.ranking import RankParams
from index.search.run import DEFAULT_PARAMS, highlight_document, run_search
from index.search.scoring import shared_arrays, use_budget
from index.types import (DeclaredMeasure, DocumentLinks, IndexError_, IssueEntry, IssueNeighbours,
                         MeasuresCatalogue, QueryError, SearchRequest, SearchResults, Series,
                         SeriesSummary, Warmth)
from ingest.model import Document


# What warm() asks: a question (re-ranking, the citation prior), two keywords (AND), the
# sorts and facets, and identifiers no document has (the lists of those that exist), so that
# every per-commit array and per-segment list a search builds on first use is built.
WARM_REQUESTS = (SearchRequest(q="关于进一步加强安全生产工作的通知有哪些要求"),
                 SearchRequest(q="工作 会议"),
                 SearchRequest(q="工作", sort="date"),
                 SearchRequest(q="工作", sort="date_asc"),
                 SearchRequest(q="工作", sort="issue"),
                 SearchRequest(q="国办发〔1900〕999号"),
                 SearchRequest(q="1900年第99期"))


class IndexReader:
    """Searching and reading an index on disk. Safe to share between the threads of one process.

    Each search first checks (one stat) whether the pointer file moved to a new generation,
    as `gongwen ingest --rebuild` does, and if so reopens; commits within a generation are
    picked up by opening a new searcher on the latest table of contents.
    """

    def __init__(self, path: Path, pointer: dict[str, Any], ix: FileIndex,
                 cache: CacheBudget = DEFAULT_BUDGET) -> None:
        self.path = path
        self._budget = cache  # bytes the caches of each generation may hold (index.search.caches)
        use_budget(ix, cache)
        self._pointer = pointer
        self._stamp = gen.pointer_stamp(path)
        self._ix = ix
        self._local = threading.local()  # (ix, TOC generation, searcher) per thread
        # Weak: a thread that ends takes its searcher with it (and the maps of a generation
        # no longer current); close() closes those still alive.
        self._searchers: weakref.WeakSet[Searcher] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        self._cards: tuple[tuple[FileIndex, Any], list[Card]] | None = None  # (ix, TOC), cards

    # -- following the pointer -------------------------------------------------------

    def _current_ix(self) -> FileIndex:
        """The whoosh index of the current generation, reopened if the pointer moved."""
        if self._closed:
            raise IndexError_(f"索引 {self.path} 已关闭")
        stamp = gen.pointer_stamp(self.path)
        if stamp == self._stamp:
            return self._ix
        with self._lock:
            if stamp != self._stamp:
                pointer = gen.read_pointer(self.path)
                if pointer is None:
                    raise IndexError_(f"索引 {self.path} 已不存在")
                check_version(self.path, pointer)
                if gen.generation_dir(self.path, pointer) != \
                        gen.generation_dir(self.path, self._pointer):
                    self._ix = open_whoosh(gen.generation_dir(self.path, pointer))
                    use_budget(self._ix, self._budget)
                self._pointer, self._stamp = pointer, stamp
            return self._ix

    def _searcher(self) -> Searcher:
        """This thread's searcher, opened afresh whenever the table of contents changed.

        whoosh's ``Searcher.refresh()`` is never used: it keeps the segments a merge removed
        (hits counted twice) and reuses a segment's reader with its old deletions (a replaced
        or pruned document still found). A new reader from the current TOC costs a few file
        opens; the postings and columns cached per segment id are kept (see index.scoring).
        Searchers stay per thread because whoosh's readers seek shared file objects; the
        files are views of one shared memory map each (index.mapped), so a thread's searcher
        costs its readers' small state, not a copy of the segments.
        """
        for attempt in range(3):
            ix = self._current_ix()
            held = getattr(self._local, "held", None)
            try:
                toc = ix.latest_generation()
                if held is not None and held[0] is ix and held[1] == toc:
                    return held[2]
                fresh = ix.searcher()
            except Exception as e:  # noqa: BLE001 - a generation removed under us, or damage
                if attempt < 2 and gen.pointer_stamp(self.path) != self._stamp:
                    continue  # the pointer moved while we opened: follow it
                if attempt < 2:
                    time.sleep(0.05)
                    continue
                raise IndexError_(f"无法读取索引 {self.path}：{e}") from e
            with self._lock:
                if held is not None:
                    self._searchers.discard(held[2])
                    held[2].close()  # only this thread uses it, and it has finished with it
                self._searchers.add(fresh)
            # The TOC the reader really read: a commit may land between the listing and it.
            read = fresh.reader().generation()
            self._local.held = (ix, toc if read is None or read < 0 else read, fresh)
            return fresh
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------------------

    def search(self, req: SearchRequest, params: RankParams = DEFAULT_PARAMS) -> SearchResults:
        """Documents matching the request, best first, with their best passages highlighted.

        ``params`` are the ranking's weights: not part of the request (benchmarks vary them).
        """
        searcher = self._searcher()
        try:
            return run_search(searcher, req, params)
        except IndexError_:
            raise
        except Exception as e:  # noqa: BLE001 - one failure type for the layer above
            raise IndexError_(f"在索引 {self.path} 中检索失败：{e}") from e

    def warm(self) -> Warmth:
        """Build now what searches build on first use (live records, field lengths and norms,
        the citation prior, the columns of sorts and facets): the first requests need not,
        and the workers of a pre-fork server, forked after this, share one copy (issue 14).
        IndexError_ if the index cannot be searched."""
        start = time.perf_counter()
        for req in WARM_REQUESTS:
            try:
                self.search(req)
            except QueryError:  # not raised by these requests; a future syntax rule may
                continue
        arrays = shared_arrays(self._current_ix())
        return Warmth(len(arrays), sum(a.nbytes for a in arrays), time.perf_counter() - start)

    def highlight_passages(self, doc: Document, q: str,
                           only: frozenset[str] | None = None) -> dict[str, str]:
        """passage id → escaped HTML of the whole passage with <mark> around q's matches."""
        return highlight_document(self._current_ix().schema, doc, q, only=only)

    def get_document(self, doc_id: str) -> Document | None:
        """The full Document as indexed, or None."""
        s = self._searcher()
        for n in s.docs_for_query(Term("doc_id", doc_id)):
            stored = s.stored_fields(n)
            if "doc" in stored:
                return stored_document(stored)
        return None

    def document_links(self, doc: Document, cited_by_limit: int = MAX_CITED_BY) -> DocumentLinks:
        """Issue 12: doc's 《title》s resolved (None: 未收录), who cites it, related documents."""
        # jieba.analyse and its part-of-speech model: only a document's page needs them
        from index.search.related import related

        docs = Documents(self._searcher())
        try:
            citations = resolve_citations(docs, doc)
            citing, total = cited_by(docs, doc, cited_by_limit)
            return DocumentLinks(citations, citing, total,
                                 related(docs, doc, citations, citing))
        except Exception as e:  # noqa: BLE001 - one failure type for the layer above
            raise IndexError_(f"在索引 {self.path} 中查找引用与相关文件失败：{e}") from e

    def doc_count(self) -> int:
        """Number of documents (not passages) in the index."""
        return len(doc_numbers(self._searcher()))

    def all_doc_ids(self) -> list[str]:
        """Every doc_id, sorted."""
        s = self._searcher()
        if s.reader().doc_count_all() == 0:
            return []
        col = s.reader().column_reader("doc_id")
        return sorted(col[n] for n in doc_numbers(s))

    def sources(self) -> dict[str, tuple[str, str | None]]:
        """doc_id → (source path, sha256) for documents that have a source (for sync)."""
        return {d: (p, sha) for d, p, sha in self.doc_sources() if p}

    def doc_sources(self) -> list[tuple[str, str, str | None]]:
        """(doc_id, source path or "", sha256 or None) for every document."""
        s = self._searcher()
        reader = s.reader()
        if reader.doc_count_all() == 0:
            return []
        ids, paths, shas = (reader.column_reader(f) for f in ("doc_id", "source_path",
                                                               "source_sha256"))
        return [(ids[n], paths[n], shas[n] or None) for n in doc_numbers(s)]

    # -- the archive (issue 12): series, issues, the measures catalogue ---------------------

    def cards(self) -> list[Card]:
        """Every document's card, read from its column once per table of contents.

        One list shared by all threads (cards are frozen): about 35 MB for 64,000 documents.
        """
        s = self._searcher()
        ix, toc = self._local.held[:2]
        cached = self._cards
        if cached is not None and cached[0][0] is ix and cached[0][1] == toc:
            return cached[1]
        reader = s.reader()
        cards: list[Card] = []
        if reader.doc_count_all():
            ids, raw = reader.column_reader("doc_id"), reader.column_reader("card")
            cards = [c for n in doc_numbers(s) if (c := read_card(ids[n], raw[n])) is not None]
        with self._lock:
            self._cards = ((ix, toc), cards)
        return cards

    def series_list(self) -> tuple[SeriesSummary, ...]:
        """Every bulletin series (刊名 + 编印单位), the one with the latest issue first."""
        return archive.series_list(self.cards())

    def series(self, series_id: str) -> Series | None:
        """One series: its issues by year with the gaps in their numbering, 增刊 apart."""
        return archive.series(self.cards(), series_id)

    def latest_issues(self, limit: int) -> tuple[tuple[SeriesSummary, IssueEntry], ...]:
        """The newest issues of all series (增刊 too), each with its series."""
        return archive.latest_issues(self.cards(), limit)

    def issue_neighbours(self, doc_id: str) -> IssueNeighbours | None:
        """The previous and next issue of a bulletin's series; None for other documents."""
        cards = self.cards()
        card = next((c for c in cards if c.doc_id == doc_id), None)
        return archive.neighbours(cards, card) if card is not None else None

    def measures_catalogue(self, declared: Sequence[DeclaredMeasure] = ()) -> MeasuresCatalogue:
        """The policy documents by level and issuer, an office's declared list matched against
        the index, cited titles it lacks, and the counts bulletins state."""
        return archive.catalogue(self.cards(), declared)

    def version(self) -> dict[str, Any]:
        """What the index records about how it was built (the pointer file's content)."""
        self._current_ix()
        return dict(self._pointer)

    def _pointer_now(self) -> dict[str, Any]:
        self._current_ix()
        return self._pointer

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Release every searcher; the Index cannot be used afterwards."""
        with self._lock:
            self._closed = True
            searchers, self._searchers = list(self._searchers), weakref.WeakSet()
        for s in searchers:
            s.close()
        self._ix.close()
