"""A batch's side of the original-file store (index.originals): keep what it accepts, drop
what no committed document names any more."""
from __future__ import annotations

from pathlib import Path

from whoosh.index import FileIndex
from whoosh.query import Term

from index import originals  # the store, above write/


def keep_files(root: Path, paths: tuple[str, ...] | list[str], known: str | None = None) -> None:
    """Copy each file into the store (a lone file whose known hash is stored is skipped)."""
    if known and len(paths) == 1 and originals.has(root, known):
        return
    for p in paths:
        originals.keep(root, Path(p))


def prune_files(root: Path, ix: FileIndex) -> int:
    """Remove the kept files that no live document of the committed index names."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        wanted = {sha for sha in reader.field_terms("originals")
                  if next(iter(searcher.docs_for_query(Term("originals", sha))), None)
                  is not None} if "originals" in reader.indexed_field_names() else set()
    return originals.prune(root, wanted)
