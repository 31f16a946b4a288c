"""One `gongwen search` from the shell, as a fresh process: wall and CPU time, against main's.

Builds (or reuses, with --index DIR) an index of the bundled corpus, then runs the same
search N times in turn in each of several fresh processes and prints median and p95 of the
wall time and the median CPU time (user + system, which a busy machine inflates less). First
with no server running (what `benchmarks.lean --only cli` measures):

* ``python -c pass``: the interpreter alone, the floor;
* ``main (baseline)``: the command as main ships it (--baseline, default /work/old/main: a
  checkout of main with its own .venv), on --baseline-index or an index that checkout built,
  with its own cache folder;
* ``search (no server)``: this checkout's command: the query's words looked up in the cache
  folder's table, rjieba's whole dictionary never built (index/analysis/word_lookup.py);

then while a real `gongwen serve` runs on the index, main again and:

* ``search --local``: this checkout's command, searching in its own process;
* ``search (serve)``: the same command asking the server (search_app/running.py): it
  imports neither whoosh, jieba nor numpy.

The runs alternate, so a machine that gets busier slows them alike. The first search with an
empty cache folder (which writes the word table) is timed once, apart. All of this checkout's
answers must be identical; main's must be too (a difference is reported). Then --same N
queries (the first STARD questions, or typed queries without ../shared/data) are asked of
both, text and --json, each a fresh process, and the answers compared byte for byte: give
--index and --baseline-index the same index for that. Python's bytecode is written and
reused (as for an installed package) even where PYTHONDONTWRITEBYTECODE is set.

    python -m benchmarks.cli_search [--runs 15] [--index DIR] [--query 产业工人]
        [--baseline /work/old/main] [--baseline-index DIR] [--same 30]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
MAIN = Path("/work/old/main")


def timed(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> tuple[float, float, bytes]:
    """(wall seconds, CPU seconds of the process, stdout) of one fresh process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed: {err.decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 \
        else values[0]


def build_index(python: str, repo: Path, index: Path, env: dict[str, str]) -> Path:
    subprocess.run([python, "-m", "search_app.cli", "ingest", str(repo / "corpus"),
                    "--index", str(index), "-q"], cwd=repo, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return index


class Serve:
    """`gongwen serve` on index on a free port, stopped on exit."""

    def __init__(self, index: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--index",
                                      str(index), "--port", "0"], cwd=REPO, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)

    def __enter__(self) -> Serve:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if re.search(r"http://\S+:\d+/", line):
                return self
        raise SystemExit("gongwen serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    ap.add_argument("--index", type=Path, help="an existing index (default: build one of corpus/)")
    ap.add_argument("--query", default="产业工人")
    ap.add_argument("--baseline", type=Path, default=MAIN,
                    help="a checkout of main with its own .venv (default /work/old/main)")
    ap.add_argument("--baseline-index", type=Path,
                    help="an index the baseline can open (default: it builds one of its corpus/)")
    ap.add_argument("--same", type=int, default=30, metavar="N",
                    help="ask N queries of both, text and --json, and compare (default 30; 0: no)")
    opts = ap.parse_args()
    base_python = opts.baseline / ".venv" / "bin" / "python"
    if not base_python.is_file():
        raise SystemExit(f"no baseline at {opts.baseline} (a checkout of main with .venv)")
    with tempfile.TemporaryDirectory(prefix="cli-search-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
        base_env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache-main")}
        # Bytecode is written and reused, as for an installed package; without it every run
        # compiles the project's modules again (this machine's shells set the variable).
        for e in (env, base_env):
            e.pop("PYTHONDONTWRITEBYTECODE", None)
        index = opts.index or build_index(sys.executable, REPO, work / "index", env)
        base_index = opts.baseline_index or build_index(str(base_python), opts.baseline,
                                                        work / "index-main", base_env)
        args = ["search", opts.query]
        ours = [sys.executable, "-m", "search_app.cli", *args, "--index", str(index)]
        main_cmd = ([str(base_python), "-m", "search_app.cli", *args, "--index", str(base_index)],
                    base_env, opts.baseline)
        quiet = {"python -c pass": ([sys.executable, "-c", "pass"], env, REPO),
                 "main (baseline)": main_cmd,
                 "search (no server)": (ours, env, REPO)}
        served = {"main (baseline)": main_cmd,
                  "search --local": ([*ours, "--local"], env, REPO),
                  "search (serve)": (ours, env, REPO)}
        cold_wall, cold_cpu, local_out = timed(*quiet["search (no server)"])
        print(f"first search, empty cache folder (writes the cache): "
              f"wall {cold_wall:.3f} s, CPU {cold_cpu:.3f} s")
        timed(*main_cmd)  # its cache too
        walls: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}
        outs: dict[str, bytes] = {}

        def run(cmds: dict) -> None:
            for _ in range(opts.runs):
                for name, cmd in cmds.items():
                    wall, cpu, outs[name] = timed(*cmd)
                    walls.setdefault(name, []).append(wall)
                    cpus.setdefault(name, []).append(cpu)

        run(quiet)  # what `lean --only cli` measures: no server anywhere
        with Serve(index, env):
            run(served)
        for name in ("search (serve)", "search --local", "search (no server)"):
            if outs[name] != local_out:
                raise SystemExit(f"{name} prints another answer than the first search")
        if outs["main (baseline)"] != local_out:
            print("note: main prints a different answer to this query")
        load = os.getloadavg()[0]
        print(f"{opts.runs} runs each (main twice as many: in both blocks), query "
              f"{opts.query!r}, index {index}, load average {load:.1f}")
        print(f"{'command':<20} {'wall p50':>9} {'wall p95':>9} {'CPU p50':>9}")
        for name in walls:
            print(f"{name:<20} {statistics.median(walls[name]):>8.3f}s {p95(walls[name]):>8.3f}s "
                  f"{statistics.median(cpus[name]):>8.3f}s")
        base = "main (baseline)"
        for new in ("search (no server)", "search --local", "search (serve)"):
            print(f"{new} / main: wall p50 "
                  f"{statistics.median(walls[new]) / statistics.median(walls[base]):.2f}×, "
                  f"CPU p50 {statistics.median(cpus[new]) / statistics.median(cpus[base]):.2f}×")
        if opts.same:
            same_as_main(opts, index, base_index, env, base_env, base_python)


def same_as_main(opts: argparse.Namespace, index: Path, base_index: Path, env: dict[str, str],
                 base_env: dict[str, str], base_python: Path) -> None:
    """Each of --same queries asked once of this checkout and of main, text and --json, each a
    fresh process with no server: the answers must be the same bytes."""
    queries = same_queries(opts.same)
    differ = []
    for q in queries:
        for extra in ([], ["--json"]):
            args = ["search", q, *extra]
            _, _, ours = timed([sys.executable, "-m", "search_app.cli", *args, "--index",
                                str(index)], env)
            _, _, main = timed([str(base_python), "-m", "search_app.cli", *args, "--index",
                                str(base_index)], base_env, opts.baseline)
            if ours != main:
                differ.append(" ".join([q, *extra]))
    print(f"same answer as main: {2 * len(queries) - len(differ)} of {2 * len(queries)} "
          f"(text and --json, {len(queries)} queries)"
          + "".join(f"\n  differs: {d}" for d in differ))


def same_queries(n: int) -> list[str]:
    """The first n STARD questions (../shared/data), else typed queries on the bundled corpus."""
    try:
        from benchmarks import datasets

        return list(datasets.load("stard").queries.values())[:n]
    except FileNotFoundError:
        typed = ["产业工人", "产业工人队伍建设改革", "职工技能形成体系", "民主管理", "示工发〔2020〕15号",
                 "改革快报 第12期", "技能竞赛", "白洲工匠", "产业业工人", "工会 职工代表大会",
                 "ＡＢＣ１２３ 工会", "t-shirt 2019-00007", "职代会 OR 厂务公开", "\"民主管理\""]
        return typed[:n]

if __name__ == "__main__":
    main()
