"""Build-part benchmark: the CPU time of one part of a build, phase by phase, as a worker of
`gongwen ingest` spends it on one part of the STARD articles (a sixth by default), against a
baseline checkout in the same run. The phases: parsing the part into Documents, making their
records, adding the records to the bulk writer (their tokens), and the flush (postings, term
index, stored fields, compound file).

Each run is a child process per checkout (its own interpreter and code), baseline and ours
interleaved; each phase is timed with time.process_time. The two segments are then compared
file by file: a faster build must write the same bytes.

    python benchmarks/build_part.py --baseline /path/to/main-checkout          # 3 runs each
    python benchmarks/build_part.py --baseline ../main --runs 5 --part 2
    python benchmarks/build_part.py                                             # ours only
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
PHASES = ("parse", "records", "add", "flush")


def child(source: Path, part: int, parts: int, out: Path) -> dict:
    """Build one part's segment in out; each phase's CPU seconds, and the whole's wall."""
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
    gc.disable()  # as the worker processes run (index.write.workers)
    wall = time.perf_counter()
    times = [time.process_time()]
    docs = list(parse_part(source, part, parts, DEFAULT_LIMITS).documents)
    times.append(time.process_time())
    records = [document_record(d) for d in docs]
    times.append(time.process_time())
    for record in records:
        writer.add_document(**record)
    times.append(time.process_time())
    writer._finalize_segment()
    writer._finish()
    times.append(time.process_time())
    cpu = {phase: b - a for phase, a, b in zip(PHASES, times, times[1:])}
    return {"cpu": cpu, "wall": time.perf_counter() - wall, "docs": writer.docnum}


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
    work = Path(tempfile.mkdtemp(prefix="gongwen-part-"))
    try:
        source = args.source or write_source(work / "stard.jsonl")
        sides = [("baseline", args.baseline.resolve())] if args.baseline else []
        sides.append(("ours", REPO))
        cpu: dict[str, dict[str, list[float]]] = {
            name: {phase: [] for phase in (*PHASES, "total")} for name, _ in sides}
        print(f"part {args.part + 1} of {args.parts}, {args.runs} runs, load average "
              f"{os.getloadavg()[0]:.2f}")
        for run in range(args.runs):
            for name, checkout in sides:
                out = work / f"{name}{run}"
                out.mkdir()
                got = run_child(checkout, source, args.part, args.parts, out)
                got["cpu"]["total"] = sum(got["cpu"].values())
                for phase, seconds in got["cpu"].items():
                    cpu[name][phase].append(seconds)
                print(f"  run {run + 1} {name:8s} {got['docs']:,} records: " + ", ".join(
                    f"{phase} {seconds:.3f}" for phase, seconds in got["cpu"].items())
                    + f" s CPU; {got['wall']:.3f} s wall")
        print("CPU seconds, median of the runs:")
        print(f"  {'':8s} " + " ".join(f"{phase:>8s}" for phase in cpu["ours"]))
        for name, phases in cpu.items():
            print(f"  {name:8s} " + " ".join(f"{statistics.median(v):8.3f}"
                                             for v in phases.values()))
        if args.baseline:
            print(f"  {'ratio':8s} " + " ".join(
                f"{statistics.median(cpu['ours'][p]) / statistics.median(cpu['baseline'][p]):7.2f}x"
                for p in cpu["ours"]))
            same = segment_files(work / "baseline0") == segment_files(work / "ours0")
            print(f"segment files {'identical' if same else 'DIFFER'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
