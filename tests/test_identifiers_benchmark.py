"""The identifier benchmark runs on a slice of govcn_2019, so that it cannot rot."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from render import DATA

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (DATA / "govcn_2019" / "html").is_dir(),
                                reason=f"govcn_2019 not found under {DATA}")


def test_slice_ranks_every_form_first_and_prints_the_baseline(
        capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import identifiers

    assert identifiers.main(["--limit", "3", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    forms = list(identifiers.NUMBER_FORMS) + list(identifiers.ISSUE_FORMS)
    assert set(figures["forms"]["gongwen"]) == set(forms)
    assert figures["queries"] == 3 * len(identifiers.NUMBER_FORMS) + 2 * len(identifiers.ISSUE_FORMS)
    assert figures["misses"] == []
    assert figures["all"]["gongwen"] == 1.0
    assert 0.0 <= figures["all"]["bm25-both"] < 1.0  # the baseline is run, and is no ceiling
