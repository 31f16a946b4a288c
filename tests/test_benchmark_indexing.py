"""The indexing benchmark runs on a slice of STARD and prints its figures (so it cannot rot)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from render import DATA, REPO


@pytest.mark.skipif(not (DATA / "stard_statutes" / "corpus.jsonl.gz").is_file(),
                    reason="../shared/data/stard_statutes is not beside the repository")
def test_indexing_benchmark_on_a_slice():
    proc = subprocess.run([sys.executable, "benchmarks/indexing.py", "--limit", "1500"],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("stard_statutes: 1,500 articles, ")
    assert re.match(r"naive +whoosh \+ jieba ChineseAnalyzer, 1 process: +[\d.]+ s +\d+ docs/s",
                    lines[1])
    assert re.match(r"ours +gongwen ingest \(\d+ processes\): +[\d.]+ s +\d+ docs/s +[\d.]+ MB/s "
                    r"+\([\d.]+x naive\)", lines[2])
    assert re.match(r"add one bulletin to the 1,500-article index and find it: [\d.]+ s", lines[3])
