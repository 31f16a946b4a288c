"""What an empty or thin page's offers cost: each query's time with them, on an existing index.

    python benchmarks/offers.py --index DIR 正当防位 证据保前 劳动合同

Each query is timed twice: the first search after the index opens (what a user pays first)
and again (caches warm); the offers found are printed beside the times.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index import SearchRequest, open_index, setup_analysis  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index built by gongwen")
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args(argv)
    setup_analysis()
    with open_index(args.index) as index:
        index.search(SearchRequest(q="通知"))  # the searcher and the analyzers, opened once
        for q in args.queries:
            times = []
            for _ in range(2):
                start = time.perf_counter()
                r = index.search(SearchRequest(q=q))
                times.append((time.perf_counter() - start) * 1000)
            offers = [f"suggestion {r.suggestion.q} ({r.suggestion.total})" if r.suggestion else "",
                      f"any words ({r.any_words.total})" if r.any_words else "",
                      "; ".join(m.message for m in r.missing)]
            print(f"{q}: {r.total} hits, first {times[0]:.0f} ms, again {times[1]:.0f} ms  "
                  + "  ".join(o for o in offers if o))
    return 0


if __name__ == "__main__":
    sys.exit(main())
