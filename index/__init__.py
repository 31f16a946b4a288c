"""Documents in, ranked hits out. whoosh stays inside this package, and this module is its one
door: search_app/ and benchmarks/ import from here only.

Rooms (see ARCHITECTURE.md): analysis/ (tokenizers, shared terms), write/ (batches to
segments), search/ (query to hits); at the top what both share: types, schema, layout, store.
"""
from index.analysis import setup_analysis
from index.layout import is_index
from index.search.ranking import RankParams
from index.search.similar import SAME_TEXT, jaccard, shingles
from index.store import Index, create_index, open_index
from index.types import (SORTS, DocumentHit, IndexError_, IndexVersionError, PassageHit, QueryError,
                         SearchRequest, SearchResults)
from index.types import MissingIdentifier, Offer
from index.write.merge import by_record_count, tiered
from index.write.optimize import OptimizeReport, optimize_index, segment_sizes
from index.write.sync import PARSE_SECONDS, Failure, SyncReport, sync_paths

__all__ = ["open_index", "create_index", "is_index", "Index", "setup_analysis", "SearchRequest",
           "SearchResults", "DocumentHit", "PassageHit", "IndexError_", "QueryError",
           "IndexVersionError", "SORTS", "sync_paths", "SyncReport", "Failure", "PARSE_SECONDS",
           "RankParams", "SAME_TEXT", "jaccard", "shingles", "optimize_index", "OptimizeReport",
           "segment_sizes", "tiered", "by_record_count"]
__all__ += ["MissingIdentifier", "Offer"]
