"""Documents in, ranked hits out. whoosh stays inside this package, and this module is its one
door: search_app/ and benchmarks/ import from here only.

Rooms (see ARCHITECTURE.md): analysis/ (tokenizers, shared terms), write/ (batches to
segments), search/ (query to hits); at the top what both share: types, schema, layout, store.
"""
import importlib
from typing import TYPE_CHECKING, Any

from index.types import (FACET_FILTERS, SCOPES, SORTS, DocumentHit, IndexError_,
                         IndexVersionError, PassageHit, QueryError, SearchRequest, SearchResults)
from index.types import (CitedTitle, DeclaredMatch, DeclaredMeasure, IssueEntry, IssueNeighbours,
                         IssuerGroup, MeasuresCatalogue, Mention, PolicyEntry, Series,
                         SeriesSummary, SeriesYear, StatedCount)
from index.types import Citation, CitedBy, DocRef, DocumentLinks, Related  # issue 12
from index.types import PARSE_SECONDS
from index.types import MissingIdentifier, Offer  # issue 13
from index.types import CACHE_ENV, DEFAULT_CACHE_MB, MIN_CACHE_MB, parse_cache_mb  # issue 14
from index.types import Warmth  # issue 14: what warm() built before the first request

if TYPE_CHECKING:
    from index.analysis import ensure_jieba, normalize_text, setup_analysis
    from index.analysis.segmenter import tokenize as segment_line
    from index.layout import is_index
    from index.originals import original_file
    from index.search.ranking import RankParams
    from index.search.similar import SAME_TEXT, jaccard, shingles
    from index.store import Index, create_index, open_index
    from index.write.merge import by_record_count, tiered
    from index.write.optimize import OptimizeReport, optimize_index, segment_sizes
    from index.write.sync import Failure, SyncReport, sync_paths

# The batch (workers, every format's parser) is imported on first use (issue 14): a search
# from the shell does not need it.
_LAZY = {**dict.fromkeys(("OptimizeReport", "optimize_index", "segment_sizes"),
                         "index.write.optimize"),
         **dict.fromkeys(("Failure", "SyncReport", "sync_paths"), "index.write.sync"),
         # issue 14: whoosh, jieba and numpy too, so that `gongwen search` answered by a
         # running server imports none of them (the types above are plain dataclasses)
         "setup_analysis": "index.analysis", "is_index": "index.layout",
         "original_file": "index.originals", "RankParams": "index.search.ranking",
         **dict.fromkeys(("SAME_TEXT", "jaccard", "shingles"), "index.search.similar"),
         **dict.fromkeys(("Index", "create_index", "open_index"), "index.store"),
         **dict.fromkeys(("by_record_count", "tiered"), "index.write.merge"),
         # jieba's words as the index cuts them (rjieba), and jieba itself loaded alike
         "ensure_jieba": "index.analysis", "normalize_text": "index.analysis",
         "segment_line": "index.analysis.segmenter:tokenize",
         "use_word_lookup": "index.analysis.segmenter"}  # issue 14: one query from the shell

__all__ = ["open_index", "create_index", "is_index", "Index", "setup_analysis", "SearchRequest",
           "SearchResults", "DocumentHit", "PassageHit", "IndexError_", "QueryError",
           "IndexVersionError", "SORTS", "sync_paths", "SyncReport", "Failure", "PARSE_SECONDS",
           "FACET_FILTERS", "SCOPES",
           "RankParams", "SAME_TEXT", "jaccard", "shingles", "optimize_index", "OptimizeReport",
           "segment_sizes", "tiered", "by_record_count",
           # issue 12: the archive
           "IssueEntry", "SeriesSummary", "SeriesYear", "Series", "IssueNeighbours", "Mention",
           "PolicyEntry", "IssuerGroup", "DeclaredMeasure", "DeclaredMatch", "CitedTitle",
           "StatedCount", "MeasuresCatalogue", "original_file",
           "Citation", "CitedBy", "DocRef", "DocumentLinks", "Related",
           "MissingIdentifier", "Offer",
           "ensure_jieba", "normalize_text", "segment_line", "use_word_lookup",
           "CACHE_ENV", "DEFAULT_CACHE_MB", "MIN_CACHE_MB", "parse_cache_mb",
           "Warmth"]


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    module, _, attr = home.partition(":")  # "module:attr" where the door renames it
    value = getattr(importlib.import_module(module), attr or name)
    globals()[name] = value
    return value
