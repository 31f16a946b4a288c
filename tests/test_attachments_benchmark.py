"""benchmarks/attachments.py runs and says what each way does: the folder group re-reads the
notice's folder and keeps the link, the file-by-file baseline re-reads one file and links none."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import attachments  # noqa: E402 - benchmarks/ is not a package
import ingest.batch  # noqa: E402


def test_the_benchmark_prints_both_ways(capsys):
    before = ingest.batch.FOLDER_FILES
    assert attachments.main(["--attachments", "3"]) == 0
    assert ingest.batch.FOLDER_FILES == before  # the baseline's setting does not leak
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "# a notice and 3 attachments; one attachment changed"
    rows = {line[:26].strip(): line[26:].split() for line in out[2:]}
    assert set(rows) == {"ours (folder group)", "baseline (file by file)"}
    assert rows["ours (folder group)"][2:] == ["4", "yes"]
    assert rows["baseline (file by file)"][2:] == ["1", "no"]
    assert all(re.fullmatch(r"\d+\.\d\d", v) for r in rows.values() for v in r[:2])
