"""Flush benchmark: the CPU time of writing one staged segment (BulkSegmentWriter's flush:
postings, term index, stored fields, compound file) for one part of the STARD articles, as
`gongwen ingest` cuts them (a sixth by default), against a baseline checkout in the same run.

Each run is a child process per checkout (its own interpreter and code), baseline and ours
interleaved; the records are added first and only the flush is timed (time.process_time).
The two segments are then compared file by file: the flush must write the same bytes.

    python benchmarks/flush.py --baseline /path/to/main-checkout          # 3 runs each
    python benchmarks/flush.py --baseline ../main --runs 5 --part 2
    python benchmarks/flush.py                                             # ours only
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARTS = 6  # `gongwen ingest` on a 2-core machine: six parts, three per worker


def child(source: Path, part: int, parts: int, out: Path) -> dict:
    """Build one part's segment in out; the flush's CPU and wall seconds."""
    import gc

    from index import layout, setup_analysis
    from index.schema import build_schema, document_record
    from index.write.bulk import BulkSegmentWriter
    from index.write.merge import WRITER_POOL_MB
    from ingest.batch import DEFAULT_LIMITS, parse_part

    setup_analysis()
    ix = layout.DurableFileStorage(str(out)).create_index(build_schema(),
                                                          indexname=layout.INDEX_NAME)
    writer = BulkSegmentWriter(ix, limitmb=WRITER_POOL_MB)
    records = [document_record(d) for d in parse_part(source, part, parts,
                                                      DEFAULT_LIMITS).documents]
    for record in records:
        writer.add_document(**record)
    del records
    gc.collect()
    gc.disable()  # as the worker processes run (index.write.workers)
    cpu, wall = time.process_time(), time.perf_counter()
    writer._finalize_segment()
    writer._finish()
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
            "docs": writer.docnum}


def run_child(checkout: Path, source: Path, part: int, parts: int, out: Path) -> dict:
    """child() under checkout's own interpreter (its .venv if it has one) and code."""
    python = checkout / ".venv" / "bin" / "python"
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(
        [str(python if python.exists() else sys.executable), str(Path(__file__).resolve()),
         "--child", str(out), "--source", str(source), "--part", str(part),
         "--parts", str(parts)], cwd=checkout, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"错误：{checkout} 的子进程失败：{done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def segment_files(folder: Path) -> dict[str, bytes]:
    """The staged segment's files by name (its id replaced), read from the compound file."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    [path] = glob.glob(str(folder / "*.seg"))
    name = os.path.basename(path)
    sid = name.split("_", 1)[1][:-4]
    cs = CompoundStorage(FileStorage(str(folder)).open_file(name), use_mmap=False)
    return {f.replace(sid, "X"): cs.open_file(f).read() for f in cs.list()}


def write_source(path: Path) -> Path:
    """The STARD articles as JSON Lines (id, title, text), as benchmarks/lean.py writes them."""
    sys.path.insert(0, str(REPO))
    from benchmarks import datasets
    from benchmarks.lean import write_source as write

    return write(list(datasets.load("stard").records), path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--part", type=int, default=0)
    parser.add_argument("--parts", type=int, default=PARTS)
    parser.add_argument("--source", type=Path, help="JSON Lines (id, title, text); default: "
                        "the STARD articles written to a temporary file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # this folder's modules must not shadow the checkout's or a library's
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
        print(json.dumps(child(args.source, args.part, args.parts, args.child)))
        return
    work = Path(tempfile.mkdtemp(prefix="gongwen-flush-"))
    try:
        source = args.source or write_source(work / "stard.jsonl")
        sides = [("baseline", args.baseline.resolve())] if args.baseline else []
        sides.append(("ours", REPO))
        cpu: dict[str, list[float]] = {name: [] for name, _ in sides}
        print(f"part {args.part + 1} of {args.parts}, {args.runs} runs, load average "
              f"{os.getloadavg()[0]:.2f}")
        for run in range(args.runs):
            for name, checkout in sides:
                out = work / f"{name}{run}"
                out.mkdir()
                got = run_child(checkout, source, args.part, args.parts, out)
                cpu[name].append(got["cpu"])
                print(f"  run {run + 1} {name:8s} {got['docs']:,} records: flush "
                      f"{got['cpu']:.3f} s CPU, {got['wall']:.3f} s wall")
        for name, values in cpu.items():
            print(f"{name:8s} flush CPU median {statistics.median(values):.3f} s "
                  f"(min {min(values):.3f})")
        if args.baseline:
            ratio = statistics.median(cpu["ours"]) / statistics.median(cpu["baseline"])
            same = segment_files(work / "baseline0") == segment_files(work / "ours0")
            print(f"ours / baseline: {ratio:.2f}x CPU; segment files "
                  f"{'identical' if same else 'DIFFER'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
