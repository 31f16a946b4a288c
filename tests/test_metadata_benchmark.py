"""The metadata benchmark runs on a slice of every gold set, so that it cannot rot."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from render import DATA, SEED

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (DATA / "office_files" / "gold.jsonl").is_file()
                                or not SEED.is_file(), reason=f"gold sets not found under {DATA}")
CELL = r"(\d+/\d+|n/a)"


def test_slice_prints_ours_and_naive_for_every_set(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import metadata

    assert metadata.main(["--limit", "4", "--wrong", "3"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[1].split()
    assert header[:3] == ["set/format", "files", "fail"] and header.count("naive") == 5
    for label in ("bulletin/txt", "bulletin/pdf", "bulletin/docx", "bulletin/html", "govcn/html",
                  "govcn/txt", "laws/md", "office (all)", "overall"):
        row = re.search(rf"^{re.escape(label)}\s+(\d+)\s+(\d+)\s+" + r"\s+".join([CELL] * 10)
                        + r"\s*$", out, re.M)
        assert row is not None, f"no full row for {label}:\n{out}"
    # the reference bulletin is read exactly in every format; the naive title is its masthead
    for fmt in ("txt", "pdf", "docx", "html"):
        row = re.search(rf"^bulletin/{fmt}\s+1\s+0\s+1/1\s+0/1\s+1/1\s+0/1", out, re.M)
        assert row is not None, out


def test_gold_notes_become_expected_values() -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import metadata

    assert metadata._office_value("date_written", "2025-10-11 (发布日期; 成文日期 ?)", False) == ""
    assert metadata._office_value("doc_number", "? (not shown; Xinhua release)", False) == ""
    assert metadata._office_value("doc_number", "财会〔2023〕11号 (parent 通知)", False) is None
    assert metadata._office_value("doc_number", "财会〔2023〕11号 (parent 通知)", True) == \
        "财会〔2023〕11号"
    assert metadata._office_value("title", "高污染燃料目录（附件）", False) == "高污染燃料目录"
    assert metadata._office_value("issuer", "湖北省文化和旅游厅（版头：湖北省文化和旅游厅办公室文件）",
                                  False) == "湖北省文化和旅游厅"
    assert metadata._office_doctype("通知 (印发) + 规划") == "通知"
    assert metadata._office_doctype("附件/目录") == "目录"


def test_lookalikes_counts_radicals_and_compatibility_forms_not_unified_ideographs() -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import metadata

    assert metadata.lookalikes("\u2fb0命\u2f42物 \u2ea0 \uf900") == 4  # ⾰ ⽂ ⺠ and 豈 (U+F900)
    assert metadata.lookalikes("革命文物 人民 \ufa0e\ufa0f") == 0  # 﨎﨏 are unified ideographs
