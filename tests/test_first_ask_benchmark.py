"""benchmarks/first_ask.py: two checkouts in child processes asked the same queries in turn
(here this checkout against itself, on the test index: the same answers, ratios printed)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from render import DATA, REPO

needs_stard = pytest.mark.skipif(
    not (DATA / "stard_statutes" / "corpus.jsonl.gz").is_file(),
    reason="../shared/data/stard_statutes is not beside the repository")


@needs_stard
def test_both_checkouts_answer_every_query_alike(index_dir: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.first_ask", "--index", str(index_dir),
                           "--baseline", str(REPO), "--questions", "--limit", "15"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert [line.split("  ")[0] for line in lines] == \
        ["keywords, first ask"] * 3 + ["keywords, again"] * 3 + ["questions, first ask"] * 3
    ratios = [line for line in lines if " ratio " in line]
    assert all(line.endswith("top 10 differ on 0 of 15") for line in ratios), ratios
    for line in lines:
        figures = r"CPU p50/p95 +[\d.]+ / +[\d.]+ ms$|CPU p50 [\d.]+×  p95 [\d.]+×;"
        assert re.search(figures, line), line


def test_a_missing_baseline_is_named(index_dir: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.first_ask", "--index", str(index_dir)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == \
        "first_ask.py: error: --baseline：请给出作为基准的另一份检出（含 .venv）"
