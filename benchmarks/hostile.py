"""Peak memory and time of `gongwen ingest` on each hostile file, at the default caps.

Baseline: the 1 GB floor and the file's own size (the code before the caps is not safe to run:
it hung on a FIFO and took 1.8–4.5 GB on these files). Each file gets its own process, so
the peak (wait4's ru_maxrss) is that file's alone.

    python benchmarks/hostile.py [--work DIR]
"""
from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
MB = 1024 * 1024


def build(work: Path) -> dict[str, Path]:
    from test_hostile import docx_bomb

    files = {}
    p = files["1 GiB-inflating .jsonl.gz"] = work / "bomb.jsonl.gz"
    with gzip.open(p, "wb", compresslevel=9) as f:
        line = b" " * (MB - 1) + b"\n"
        for _ in range(1024):
            f.write(line)
    p = files["DOCX zip bomb (400 MB document.xml)"] = work / "bomb.docx"
    docx_bomb(p, 400)
    p = files["52 MB JSON Lines record"] = work / "record.jsonl"
    with open(p, "w", encoding="utf-8") as f:
        f.write('{"id": "x", "title": "长", "text": "' + "长" * (52 * MB // 3) + '"}\n')
    p = files["50 MB .txt"] = work / "big.txt"
    with open(p, "w", encoding="utf-8") as f:
        for _ in range(50):
            f.write(("各单位要推进厂务公开。\n" * 31_000))
    p = files["FIFO"] = work / "pipe.txt"
    os.mkfifo(p)
    return files


def run(path: Path, index: Path) -> tuple[float, float, str]:
    """(seconds, peak MB of the ingest process, its stderr)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "ingest", str(path),
                             "--index", str(index), "--quiet", "--jobs", "1"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, err.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="gongwen-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    files = build(work)
    print(f"{'file':38} {'on disk':>10} {'seconds':>8} {'peak MB':>8}  floor 1024 MB; reason")
    for name, path in files.items():
        alone = work / f"only-{path.stem}"  # its own folder: a small folder of several
        alone.mkdir(exist_ok=True)          # formats is read as one group (ingest.batch)
        path = path.rename(alone / path.name)
        size = path.lstat().st_size / MB
        seconds, peak, err = run(path, work / f"idx-{path.stem}")
        print(f"{name:38} {size:8.1f}MB {seconds:8.1f} {peak:8.0f}  {err.splitlines()[-1] if err else ''}")


if __name__ == "__main__":
    main()
