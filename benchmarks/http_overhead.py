"""Where a search request's CPU goes: the library, Flask, the HTTP server (CPU ms per request).

On the STARD index (--index DIR, built by benchmarks/concurrency.py), the 737 questions asked
--rounds times each way, after one warm-up pass, CPU time (not wall time, which the machine's
other jobs would move) per request:

* library: `Index.search(parse_search_args(...)).to_dict()` in this process;
* Flask: the same through the application (`app.test_client().get("/api/search?q=…")`): request
  parsing, the view, JSON encoding, the response (and the test client's own work);
* HTTP: a real `gongwen serve --workers 1` on a loopback port, one keep-alive client; the
  server's CPU (user + system, from /proc) divided by the requests.

    python benchmarks/http_overhead.py --index DIR [--rounds 2] [--questions N]
"""
from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.concurrency import questions, tree_cpu  # noqa: E402
from benchmarks.serving import Server  # noqa: E402


def per_request(run, count: int) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) / count * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--questions", type=int)
    args = parser.parse_args(argv)
    asked = questions()[:args.questions] if args.questions else questions()
    paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in asked]

    from search_app import create_app
    from search_app.params import parse_search_args
    from search_app.store import get_store

    app = create_app({"INDEX_PATH": args.index})
    index = get_store(app).get()
    client = app.test_client()

    def library() -> None:
        for q in asked:
            index.search(parse_search_args({"q": q}, app.config)).to_dict()

    def flask() -> None:
        for path in paths:
            client.get(path)

    server = Server(args.index, ["--workers", "1"], Path(tempfile.mkstemp(suffix=".log")[1]))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)

    def served() -> None:
        for path in paths:
            conn.request("GET", path)
            conn.getresponse().read()

    figures: dict[str, list[float]] = {"library": [], "Flask": [], "HTTP server": []}
    try:
        library(), flask(), served()  # warm-up: every searcher opened, caches filled
        for _ in range(args.rounds):  # interleaved, so each way sees the same machine
            figures["library"].append(per_request(library, len(asked)))
            figures["Flask"].append(per_request(flask, len(asked)))
            before = tree_cpu(server.proc.pid)
            served()
            figures["HTTP server"].append((tree_cpu(server.proc.pid) - before) / len(asked) * 1000)
    finally:
        conn.close()
        server.stop()
    print(f"## CPU ms per request, STARD, {len(asked)} questions x {args.rounds} rounds "
          f"(load average {os.getloadavg()[0]:.1f})")
    base = min(figures["library"])
    for name, values in figures.items():
        print(f"{name:<12} " + "  ".join(f"{v:6.2f}" for v in values)
              + f"   best {min(values):6.2f} ({min(values) / base:.2f}x the library)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
