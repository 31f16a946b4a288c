"""Same answers, less CPU: the JSON API's responses to the STARD questions, byte for byte,
from this checkout and from a baseline checkout, and each one's CPU per question.

Each checkout runs in its own process (its own Python and venv), through Flask's test client
on the same index: --passes passes over the questions (the first one cold, the caches empty;
then warm, as a server that has answered them before), CPU seconds per pass (process time:
what the cores must supply, whatever else the machine runs). Rounds alternate the two
checkouts, so that they share the machine's weather. The responses of the last pass are
compared: any question whose body differs is printed, and the exit status is 1.

    python -m benchmarks.same_answers --index DIR --baseline /work/bench/main
    python -m benchmarks.same_answers --index DIR --baseline ../main --limit 200 --rounds 1
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STARD = REPO.parent / "shared" / "data" / "stard_statutes"


def questions(limit: int | None) -> list[str]:
    lines = (STARD / "queries.dev.tsv").read_text(encoding="utf-8").splitlines()
    asked = [line.split("\t", 1)[1] for line in lines if "\t" in line]
    return asked[:limit] if limit else asked


def child(repo: Path, index: Path, asked: list[str], passes: int, cache_mb: int,
          out: Path) -> None:
    """Answer the questions `passes` times with repo's code; CPU per pass and bodies to out."""
    sys.path.insert(0, str(repo))
    from search_app import create_app  # this checkout's, not the caller's

    app = create_app({"TESTING": True, "INDEX_PATH": index, "CACHE_MB": cache_mb})
    client = app.test_client()
    paths = [f"/api/search?q={urllib.parse.quote(q)}" for q in asked]
    cpu, bodies = [], []
    for _ in range(passes):
        start = time.process_time()
        bodies = [client.get(p).get_data() for p in paths]
        cpu.append(time.process_time() - start)
    out.write_text(json.dumps({"cpu": cpu, "bodies": [b.decode("utf-8") for b in bodies]},
                              ensure_ascii=False), encoding="utf-8")


def run_checkout(python: Path, repo: Path, args: argparse.Namespace, out: Path) -> dict:
    command = [str(python), str(Path(__file__).resolve()), "--child", str(repo),
               "--index", str(args.index), "--passes", str(args.passes),
               "--cache-mb", str(args.cache_mb), "--out", str(out)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    subprocess.run(command, cwd=repo, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a STARD index (any schema "
                        "both checkouts read)")
    parser.add_argument("--baseline", type=Path, help="the baseline checkout (its .venv is used)")
    parser.add_argument("--baseline-python", type=Path,
                        help="the baseline's interpreter (default: BASELINE/.venv/bin/python)")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--passes", type=int, default=3, help="passes per run (first: cold)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each checkout, alternated")
    parser.add_argument("--cache-mb", type=int, default=96, help="CACHE_MB (the default: 96)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    asked = questions(args.limit)
    if args.child:
        child(args.child, args.index, asked, args.passes, args.cache_mb, args.out)
        return 0
    checkouts = [("this", Path(sys.executable), REPO)]
    if args.baseline:
        checkouts.append(("baseline", args.baseline_python or
                          args.baseline / ".venv" / "bin" / "python", args.baseline))
    cpu: dict[str, list[list[float]]] = {name: [] for name, _, _ in checkouts}
    bodies: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for name, python, repo in (checkouts if r % 2 == 0 else checkouts[::-1]):
                got = run_checkout(python, repo, args, Path(tmp) / f"{name}.json")
                cpu[name].append(got["cpu"])
                bodies[name] = got["bodies"]
                print(f"round {r + 1} {name:8}: CPU per question by pass " + ", ".join(
                    f"{c / len(asked) * 1000:.2f}" for c in got["cpu"]) + " ms", flush=True)
    print(f"\n{len(asked)} questions, {args.passes} passes, CACHE_MB {args.cache_mb}, "
          f"median over {args.rounds} rounds (ms of CPU per question):")
    medians = {name: [statistics.median(run[k] for run in runs) / len(asked) * 1000
                      for k in range(args.passes)] for name, runs in cpu.items()}
    for name, ms in medians.items():
        print(f"  {name:8}  cold {ms[0]:6.2f}   warm {statistics.median(ms[1:] or ms):6.2f}")
    if "baseline" not in bodies:
        return 0
    base, this = medians["baseline"], medians["this"]
    print(f"  ratio     cold {this[0] / base[0]:6.2f}x  warm "
          f"{statistics.median(this[1:] or this) / statistics.median(base[1:] or base):6.2f}x")
    differ = [i for i, (a, b) in enumerate(zip(bodies["this"], bodies["baseline"])) if a != b]
    digest = hashlib.sha256("\n".join(bodies["this"]).encode()).hexdigest()[:16]
    print(f"responses: {len(asked) - len(differ)} of {len(asked)} identical to the baseline's "
          f"(sha256 of this checkout's: {digest})")
    for i in differ[:10]:
        print(f"  differs: {asked[i]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
