"""The build-part benchmark runs on a slice of STARD and prints its figures (so it cannot rot)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from render import DATA, REPO


@pytest.mark.skipif(not (DATA / "stard_statutes" / "corpus.jsonl.gz").is_file(),
                    reason="../shared/data/stard_statutes is not beside the repository")
def test_build_part_benchmark_on_a_slice():
    # This checkout as its own baseline: the same Documents, records and segment files.
    proc = subprocess.run([sys.executable, "-m", "benchmarks.build_part", "--limit", "600",
                           "--parts", "2", "--part", "1", "--runs", "1", "--baseline", str(REPO)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # Blocks of 256 lines, every second one: lines 257-512 of 600.
    assert lines[0] == "stard.jsonl: part 1 of 2, 256 documents, 1 runs each (median CPU seconds)"
    assert lines[1].split() == ["parse", "records", "add", "flush", "total"]
    for line, name in zip(lines[2:4], ("baseline", "this checkout")):
        assert re.fullmatch(rf"{re.escape(name)} +(\d+\.\d{{3}} +){{4}}\d+\.\d{{3}}", line), line
    assert re.fullmatch(r"this checkout / baseline: [\d.]+x", lines[4])
    assert lines[5:] == ["same Documents and records: yes", "same segment files: yes"]
