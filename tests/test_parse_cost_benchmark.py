"""The parse-cost benchmark runs on a slice of STARD and prints its figures (so it cannot rot)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from render import DATA, REPO


@pytest.mark.skipif(not (DATA / "stard_statutes" / "corpus.jsonl.gz").is_file(),
                    reason="../shared/data/stard_statutes is not beside the repository")
def test_parse_cost_benchmark_on_a_slice():
    # This checkout as its own baseline: the same Documents and records, whatever the timing.
    proc = subprocess.run([sys.executable, "-m", "benchmarks.parse_cost", "--limit", "600",
                           "--parts", "2", "--part", "1", "--runs", "1", "--baseline", str(REPO)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # Blocks of 256 lines, every second one: lines 257-512 of 600.
    assert lines[0] == "stard.jsonl: part 1 of 2, 256 documents, 1 runs each (median CPU seconds)"
    for line, name in zip(lines[1:3], ("main (baseline)", "this checkout")):
        assert re.fullmatch(rf"{re.escape(name)} +parse +[\d.]+ s +records +[\d.]+ s +total +[\d.]+ s",
                            line), line
    assert re.fullmatch(r"this checkout / main: [\d.]+x", lines[3])
    assert lines[4] == "same Documents and records: yes"
