"""One part of a build, phase by phase, against a baseline checkout: CPU seconds, same output.

A worker of `gongwen ingest` takes one part of a JSON Lines file (STARD's articles, as the lean
benchmark writes them, --limit the first N, or --file) and spends its time in four phases:
parsing it into Documents (``ingest.batch.parse_part``: JSON, structure, folding), making their
records (``index.schema.document_record``: the packed Document, card, ranking, citation and
facet fields), adding the records to the bulk writer (their tokens) and the flush (postings,
term index, stored fields, compound file). Each phase is timed with ``time.process_time`` in
a fresh process per run, for this checkout and for --baseline (a checkout with its own .venv),
the runs alternating so that a machine getting busier slows both alike. The two checkouts must
give the same Documents and records (a digest of each run's) and the same segment files (read
from the compound file): a difference is reported, and the exit status is 1.

    python -m benchmarks.build_part --baseline /path/to/main-checkout          # 3 runs each
    python -m benchmarks.build_part --baseline ../main --runs 5 --part 2
    python -m benchmarks.build_part --limit 600 --parts 2 --runs 1 --baseline .
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
PARTS = 6  # `gongwen ingest` on a 2-core machine: six parts, three per worker
PHASES = ("parse", "records", "add", "flush")

# Run in the checkout measured, with its own interpreter: only what both checkouts have.
_CHILD = """
import gc, glob, hashlib, json, os, sys, time
from pathlib import Path
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from index import layout, setup_analysis
from index.schema import build_schema, document_record
from index.write.bulk import BulkSegmentWriter
from index.write.merge import WRITER_POOL_MB
from ingest.batch import DEFAULT_LIMITS, parse_part
setup_analysis()
path, part, parts, out = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ix = layout.DurableFileStorage(out).create_index(build_schema(), indexname=layout.INDEX_NAME)
writer = BulkSegmentWriter(ix, limitmb=WRITER_POOL_MB)
gc.disable()  # as the worker processes run (index.write.workers)
times = [time.process_time()]
docs = parse_part(path, part, parts, DEFAULT_LIMITS).documents
times.append(time.process_time())
records = [document_record(d) for d in docs]
times.append(time.process_time())
for record in records:
    writer.add_document(**record)
times.append(time.process_time())
writer._finalize_segment()
writer._finish()
times.append(time.process_time())
made = hashlib.sha256()
for doc, record in zip(docs, records):
    made.update(json.dumps([doc.to_dict(), record], ensure_ascii=False, sort_keys=True,
                           default=lambda b: b.hex()).encode("utf-8"))
[seg] = glob.glob(os.path.join(out, "*.seg"))
sid = os.path.basename(seg).split("_", 1)[1][:-4]
files = CompoundStorage(FileStorage(out).open_file(os.path.basename(seg)), use_mmap=False)
written = hashlib.sha256()
for name in sorted(files.list()):
    written.update(name.replace(sid, "X").encode() + files.open_file(name).read())
print(json.dumps({"cpu": [b - a for a, b in zip(times, times[1:])], "docs": len(docs),
                  "records": made.hexdigest(), "segment": written.hexdigest()}))
"""


def measure(checkout: Path, path: Path, part: int, parts: int, out: Path) -> dict:
    """One fresh process of checkout's own interpreter: its phases' seconds and digests."""
    python = checkout / ".venv" / "bin" / "python"
    out.mkdir()
    proc = subprocess.run([str(python if python.exists() else sys.executable), "-c", _CHILD,
                           str(path), str(part), str(parts), str(out)],
                          cwd=checkout, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"错误：{checkout} 的子进程失败：{proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, required=True, help="the checkout to compare with")
    ap.add_argument("--file", type=Path, help="a JSON Lines file (default: STARD's articles)")
    ap.add_argument("--limit", type=int, help="the first N STARD articles only")
    ap.add_argument("--part", type=int, default=0)
    ap.add_argument("--parts", type=int, default=PARTS, help="as the build cuts the file")
    ap.add_argument("--runs", type=int, default=3, help="runs of each checkout, alternating")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gongwen-build-part-") as work:
        path = args.file
        if path is None:
            try:
                records = datasets.load("stard").records
            except FileNotFoundError as e:
                raise SystemExit(f"错误：{e}") from e
            path = write_source(list(records[:args.limit] if args.limit else records),
                                Path(work) / "stard.jsonl")
        return report(path, args, Path(work))


def report(path: Path, args: argparse.Namespace, work: Path) -> int:
    """Run both checkouts on path, print the table; 1 when their results differ."""
    checkouts = {"baseline": args.baseline.resolve(), "this checkout": REPO}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for run in range(args.runs):
        for n, (name, checkout) in enumerate(checkouts.items()):
            runs[name].append(measure(checkout, path, args.part, args.parts,
                                      work / f"segment{run}-{n}"))
    first = runs["this checkout"][0]
    print(f"{path.name}: part {args.part} of {args.parts}, {first['docs']:,} documents, "
          f"{args.runs} runs each (median CPU seconds)")
    print(f"{'':<14}" + "".join(f"{phase:>9}" for phase in (*PHASES, "total")))
    totals = {}
    for name, rows in runs.items():
        medians = [statistics.median(r["cpu"][i] for r in rows) for i in range(len(PHASES))]
        totals[name] = statistics.median(sum(r["cpu"]) for r in rows)
        print(f"{name:<14}" + "".join(f"{s:9.3f}" for s in (*medians, totals[name])))
    print(f"this checkout / baseline: {totals['this checkout'] / totals['baseline']:.2f}x")
    same = {key: len({r[key] for rows in runs.values() for r in rows}) == 1
            for key in ("records", "segment")}
    print("same Documents and records: " + ("yes" if same["records"] else "NO"))
    print("same segment files: " + ("yes" if same["segment"] else "NO"))
    return 0 if all(same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
