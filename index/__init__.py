"""Documents in, ranked hits out. whoosh stays inside this package."""
from index.analysis import setup_analysis
from index.store import Index, create_index, open_index
from index.types import (DocumentHit, IndexError_, IndexVersionError, PassageHit, QueryError,
                         SearchRequest, SearchResults)

__all__ = ["open_index", "create_index", "Index", "setup_analysis", "SearchRequest",
           "SearchResults", "DocumentHit", "PassageHit", "IndexError_", "QueryError",
           "IndexVersionError"]
