"""The query syntax benchmark runs on a small slice, so that it cannot rot."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from render import DATA

REPO = Path(__file__).resolve().parents[1]
NCP = DATA / "ncp_policies" / "corpus.jsonl"
NUMBER = r"(\d+\.\d+)"


@pytest.mark.skipif(not NCP.is_file(), reason=f"question set not found at {NCP}")
def test_slice_prints_every_variant_against_the_plain_query(capsys) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import syntax

    assert syntax.main(["--queries", "12", "--docs", "150"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ncp: 150 documents, \d+ word triples; index built in \d+\.\d s$", out, re.M)
    rows = {}
    for name in ("plain (baseline)", "or", "grouped", "within"):
        row = re.search(rf"^{re.escape(name)}\s+" + r"\s+".join([NUMBER] * 3) + r"\s+" + NUMBER
                        + r"x$", out, re.M)
        assert row is not None, name
        rows[name] = [float(x) for x in row.groups()]
    assert rows["plain (baseline)"][3] == 1.0
    assert rows["or"][2] >= rows["grouped"][2]  # excluding w3 can only drop matches
