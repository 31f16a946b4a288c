"""Adding one small bulletin to a big index, 20 times in a row: wall time and peak memory.

Builds (or reuses, with --work DIR) an index of ../shared/data/laws with `gongwen ingest` (as
that batch leaves it; with --optimize merged into one segment first), copies it twice, and adds one new
two-paragraph bulletin per commit to each copy: with the tiered policy by bytes
(index.merging.tiered, what `gongwen ingest` uses) and with the old baseline (a segment of
at most 4,000 records is small; 8 small ones are all merged). Each add runs the library's
sync_paths in a fresh Python process (like the CLI, jieba loaded each time); its wall time
and peak RSS (os.wait4, which covers the process and any workers it waited for) are printed.

    python -m benchmarks.add_one --work /tmp/add-one [--adds 20] [--laws DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAWS = REPO.parent / "shared" / "data" / "laws"


def bulletin(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bulletin-{n:03d}.txt"
    path.write_text(f"---\ntitle: 工作简报第{n}期\ndoc_type: bulletin\n---\n"
                    f"第{n}期：各单位做好防汛值班工作。\n\n加强职工技能培训，提升服务水平。\n",
                    encoding="utf-8")
    return path


def child(policy: str, index: Path, file: Path) -> None:
    """One add, in this process (run by the parent as a subprocess)."""
    from index import by_record_count, sync_paths, tiered
    from search_app.store import prepare_analysis

    prepare_analysis()
    chosen = tiered if policy == "tiered" else (lambda added: by_record_count)
    report = sync_paths(index, [file], jobs=1, merge_policy=chosen)
    assert report.documents_added == 1, report


def run_add(policy: str, index: Path, file: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one add in a child process."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.add_one", "--child", policy,
                             str(index), str(file)], cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"add failed ({policy}, {file})")
    return time.monotonic() - start, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path)
    ap.add_argument("--laws", type=Path, default=LAWS)
    ap.add_argument("--adds", type=int, default=20)
    ap.add_argument("--optimize", action="store_true", help="merge the base index first")
    ap.add_argument("--child", nargs=3, metavar=("POLICY", "INDEX", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.work is None:
        ap.error("--work DIR is required")
    base = args.work / "base"
    if not base.exists():
        t = time.monotonic()
        subprocess.run([sys.executable, "-m", "search_app.cli", "ingest", str(args.laws),
                        "--index", str(base), "-q"], cwd=REPO)
        print(f"built {base} in {time.monotonic() - t:.0f} s")
    if args.optimize:
        t = time.monotonic()
        subprocess.run([sys.executable, "-m", "search_app.cli", "optimize", "--index",
                        str(base)], cwd=REPO, check=True)
        print(f"optimized in {time.monotonic() - t:.0f} s")
    rows: dict[str, list[tuple[float, float]]] = {}
    for policy in ("by_record_count", "tiered"):
        index = args.work / policy
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(base, index)
        inbox = args.work / f"inbox-{policy}"
        shutil.rmtree(inbox, ignore_errors=True)
        rows[policy] = [run_add(policy, index, bulletin(inbox, n)) for n in range(args.adds)]
    print(f"{'add':>4} {'old s':>8} {'old MB':>8} {'tiered s':>9} {'tiered MB':>10}")
    for n, (old, new) in enumerate(zip(rows["by_record_count"], rows["tiered"]), 1):
        print(f"{n:>4} {old[0]:>8.2f} {old[1]:>8.0f} {new[0]:>9.2f} {new[1]:>10.0f}")
    for policy, got in rows.items():
        print(f"{policy}: max {max(s for s, _ in got):.2f} s, max {max(m for _, m in got):.0f} MB")


if __name__ == "__main__":
    main()
