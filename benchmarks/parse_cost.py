"""What a build worker spends on one part of a JSON Lines file before its tokens: CPU, against main's.

The file is STARD's articles (../shared/data) as the lean benchmark writes them (--limit the
first N), or --file. A worker parses its part (``ingest.batch.parse_part``: JSON, structure, folding) and turns
each Document into a record (``index.schema.document_record``: the packed stored Document,
its card, ranking, citation and facet fields). Both are timed with ``time.process_time`` in
a fresh process per run, for this checkout and for --baseline (a checkout of main with its
own .venv, default /work/bench/main), the runs alternating so that a machine getting busier
slows both alike. Each run also prints a digest of every Document (to_dict) and record: the
two checkouts must give the same (a difference is reported, and the exit status is 1).

    python -m benchmarks.parse_cost [--limit N | --file X.jsonl] [--part 0] [--parts 6]
        [--runs 3] [--baseline /work/bench/main]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import datasets
from benchmarks.lean import write_source

REPO = Path(__file__).resolve().parent.parent

# Run in the checkout measured, with its own interpreter: only what both checkouts have.
_CHILD = """
import gc, hashlib, json, sys, time
from pathlib import Path
from index import setup_analysis
from index.schema import document_record
from ingest.batch import DEFAULT_LIMITS, parse_part
setup_analysis()
gc.disable()
path, part, parts = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0 = time.process_time()
docs = parse_part(path, part, parts, DEFAULT_LIMITS).documents
t1 = time.process_time()
records = [document_record(d) for d in docs]
t2 = time.process_time()
digest = hashlib.sha256()
for doc, record in zip(docs, records):
    digest.update(json.dumps([doc.to_dict(), record], ensure_ascii=False, sort_keys=True,
                             default=lambda b: b.hex()).encode("utf-8"))
print(json.dumps({"parse": t1 - t0, "records": t2 - t1, "docs": len(docs),
                  "digest": digest.hexdigest()}))
"""


def measure(checkout: Path, path: Path, part: int, parts: int) -> dict:
    """One fresh process of checkout's own interpreter: its seconds and digest."""
    python = checkout / ".venv" / "bin" / "python"
    proc = subprocess.run([str(python if python.exists() else sys.executable), "-c", _CHILD,
                           str(path), str(part), str(parts)],
                          cwd=checkout, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"{checkout}: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, help="a JSON Lines file (default: STARD's articles)")
    ap.add_argument("--limit", type=int, help="the first N STARD articles only")
    ap.add_argument("--part", type=int, default=0)
    ap.add_argument("--parts", type=int, default=6, help="as the build cuts the file")
    ap.add_argument("--runs", type=int, default=3, help="runs of each checkout, alternating")
    ap.add_argument("--baseline", type=Path, default=Path("/work/bench/main"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gongwen-parse-cost-") as work:
        path = args.file
        if path is None:
            try:
                records = datasets.load("stard").records
            except FileNotFoundError as e:
                raise SystemExit(f"错误：{e}") from e
            path = write_source(list(records[:args.limit] if args.limit else records),
                                Path(work) / "stard.jsonl")
        return report(path, args)


def report(path: Path, args: argparse.Namespace) -> int:
    """Run both checkouts on path, print the table; 1 when their results differ."""
    checkouts = {"main (baseline)": args.baseline, "this checkout": REPO}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.runs):
        for name, checkout in checkouts.items():
            runs[name].append(measure(checkout, path, args.part, args.parts))
    first = runs["this checkout"][0]
    print(f"{path.name}: part {args.part} of {args.parts}, {first['docs']:,} documents, "
          f"{args.runs} runs each (median CPU seconds)")
    medians = {}
    for name, rows in runs.items():
        parse = statistics.median(r["parse"] for r in rows)
        records = statistics.median(r["records"] for r in rows)
        total = statistics.median(r["parse"] + r["records"] for r in rows)
        medians[name] = total
        print(f"{name:<16} parse {parse:6.3f} s   records {records:6.3f} s   "
              f"total {total:6.3f} s")
    print(f"this checkout / main: {medians['this checkout'] / medians['main (baseline)']:.2f}x")
    digests = {r["digest"] for rows in runs.values() for r in rows}
    print("same Documents and records: " + ("yes" if len(digests) == 1 else "NO"))
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
