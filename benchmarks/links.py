"""Document pages with citations as links, 被引用 and 相关文件 (issue 12): the time they add.

For N documents of an index (evenly spread over its doc_ids) times, per page, the baseline
(reading the document, as every document page does) and the links the page now shows
(`Index.document_links`: 《title》s resolved, citing documents, related documents), and says
how many citations resolved. Builds an index of ../shared/data/govcn_2019 and the bundled
corpus in --work unless --index names one (e.g. the STARD index relevance.py keeps in --work).

    python -m benchmarks.links [--index DIR | --work DIR] [--docs 50]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOVCN = REPO.parent / "shared" / "data" / "govcn_2019" / "documents.jsonl"


def ms(values: list[float], q: int) -> float:
    """The q-th percentile of values (seconds) in milliseconds."""
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def build(work: Path) -> Path:
    from search_app.indexing import ingest_into_index

    index = work / "links-govcn" / "index"
    if not index.is_dir():
        summary = ingest_into_index([GOVCN, REPO / "corpus"], index, jobs=1)
        if summary.failures:
            raise SystemExit("\n".join(summary.failure_lines()))
    return index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an existing index (default: build one)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/gongwen-links"),
                    help="where the default index is built and kept")
    ap.add_argument("--docs", type=int, default=50, help="documents timed (default 50)")
    args = ap.parse_args(argv)

    from index import open_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    path = args.index or build(args.work)
    with open_index(path) as ix:
        ids = ix.all_doc_ids()
        step = max(1, len(ids) // args.docs)
        chosen = ids[::step][:args.docs]
        ix.document_links(ix.get_document(chosen[0]))  # warm: jieba's tagger, searcher
        read, linked = [], []
        cited = resolved = citing = related = 0
        for doc_id in chosen:
            start = time.perf_counter()
            doc = ix.get_document(doc_id)
            middle = time.perf_counter()
            links = ix.document_links(doc)
            end = time.perf_counter()
            read.append(middle - start)
            linked.append(end - middle)
            cited += len(links.citations)
            resolved += sum(c.target is not None for c in links.citations)
            citing += links.cited_by_total
            related += len(links.related)
    print(f"## {path}: {len(ids)} documents, {len(chosen)} timed")
    print(f"{'per page':<44}{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, times in (("baseline: read the document", read),
                        ("document_links (citations, 被引用, 相关文件)", linked)):
        print(f"{name:<44}{ms(times, 50):>8.1f} {ms(times, 95):>8.1f} {max(times) * 1000:>8.1f}")
    print(f"citations {cited}, resolved {resolved}; citing documents {citing}; "
          f"related documents {related} ({related / len(chosen):.1f} a page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
