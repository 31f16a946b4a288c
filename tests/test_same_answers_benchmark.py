"""benchmarks/same_answers.py: the API's answers from two checkouts, compared byte for byte."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from batch_support import ingest_in_process, write_jsonl

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO.parent / "shared" / "data" / "stard_statutes" / "queries.dev.tsv"


@pytest.mark.skipif(not QUESTIONS.is_file(), reason="no ../shared/data (the STARD questions)")
def test_a_checkout_against_itself_gives_the_same_answers(tmp_path: Path) -> None:
    records = [{"id": f"art-{i}", "title": f"个体工商户登记管理第{i}条",
                "text": "个体工商户可以个人经营，也可以家庭经营。经营者应当依法办理登记。"}
               for i in range(12)]
    write_jsonl(tmp_path / "src" / "corpus.jsonl", records)
    code, _, err, _ = ingest_in_process(tmp_path / "src", "--index", tmp_path / "index", "-q")
    assert code == 0, err
    out = subprocess.run([sys.executable, "-m", "benchmarks.same_answers", "--index",
                          str(tmp_path / "index"), "--baseline", str(REPO), "--baseline-python",
                          sys.executable, "--limit", "6", "--passes", "2", "--rounds", "1"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "responses: 6 of 6 identical to the baseline's" in out.stdout
    assert out.stdout.count("CPU per question by pass") == 2  # this checkout, then the baseline
    assert "ratio     cold" in out.stdout
