"""One `gongwen search` from the shell, as a fresh process: wall and CPU time, against a baseline.

Builds (or reuses, with --index DIR) an index of the bundled corpus, then runs the same search
N times in turn in each of three fresh processes and prints median and p95 of the wall time
and the median CPU time (user + system, which a busy machine inflates less):

* ``python -c pass``: the interpreter alone, the floor;
* ``eager`` (the baseline, the CLI before issue 14): Flask and waitress imported and jieba's
  whole dictionary loaded (from jieba's marshal cache, as before), then the same command;
* ``gongwen search``: the command as shipped (no Flask; words from rjieba, jieba's own
  dictionary never loaded).

The runs alternate, so a machine that gets busier slows all three alike. The first search
with an empty cache folder (which writes the cache) is timed once, apart; the baseline's
output must equal the command's. Python's bytecode is written and reused (as for an installed
package) even where PYTHONDONTWRITEBYTECODE is set.

    python -m benchmarks.cli_search [--runs 15] [--index DIR] [--query 产业工人]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

EAGER = ("import waitress, search_app.store as s; import search_app.cli as c; "
         "from index import ensure_jieba; s.prepare_analysis(); ensure_jieba(); "
         "c.main()")


def commands(index: Path, query: str) -> dict[str, list[str]]:
    """The three commands timed, by name."""
    args = ["search", query, "--index", str(index)]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "eager (baseline)": [sys.executable, "-c", EAGER, *args],
        "gongwen search": [sys.executable, "-m", "search_app.cli", *args],
    }


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the process, stdout) of one fresh process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}… failed: {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 \
        else values[0]


def build_index(work: Path) -> Path:
    index = work / "index"
    subprocess.run([sys.executable, "-m", "search_app.cli", "ingest", str(CORPUS),
                    "--index", str(index), "-q"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    return index


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    ap.add_argument("--index", type=Path, help="an existing index (default: build one of corpus/)")
    ap.add_argument("--query", default="产业工人")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cli-search-") as tmp:
        work = Path(tmp)
        index = opts.index or build_index(work)
        cache = work / "cache"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        # Bytecode is written and reused, as for an installed package; without it every run
        # compiles the project's modules again (this machine's shells set the variable).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmds = commands(index, opts.query)
        cold_wall, cold_cpu, first = timed(cmds["gongwen search"], env)
        print(f"first search, empty cache folder (writes the cache): "
              f"wall {cold_wall:.3f} s, CPU {cold_cpu:.3f} s")
        eager_out = timed(cmds["eager (baseline)"], env)[2]
        if eager_out != first:
            raise SystemExit("the baseline and gongwen search print different results")
        walls: dict[str, list[float]] = {name: [] for name in cmds}
        cpus: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(opts.runs):
            for name, cmd in cmds.items():
                wall, cpu, _ = timed(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        print(f"{opts.runs} runs each, query {opts.query!r}, index {index}")
        print(f"{'command':<20} {'wall p50':>9} {'wall p95':>9} {'CPU p50':>9}")
        for name in cmds:
            print(f"{name:<20} {statistics.median(walls[name]):>8.3f}s {p95(walls[name]):>8.3f}s "
                  f"{statistics.median(cpus[name]):>8.3f}s")
        base, new = "eager (baseline)", "gongwen search"
        print(f"gongwen search / baseline: wall p50 "
              f"{statistics.median(walls[new]) / statistics.median(walls[base]):.2f}×, "
              f"CPU p50 {statistics.median(cpus[new]) / statistics.median(cpus[base]):.2f}×")


if __name__ == "__main__":
    main()
