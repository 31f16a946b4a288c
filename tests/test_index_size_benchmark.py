"""The index size benchmark accounts for every byte of a real index, field by field."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_every_byte_of_the_bundled_index_is_attributed(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import index_size

    assert index_size.main(["--set", "bundled", "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    total = sum(f.stat().st_size for f in (tmp_path / "index0").rglob("*") if f.is_file())
    parts, folder = index_size.measure(tmp_path / "index0")
    assert folder == total
    assert sum(parts.values()) == pytest.approx(total, abs=1)  # nothing left unexplained
    # The parts a reader of the table looks for, each with bytes (four documents: every
    # posting list is short enough to sit in its term's entry, "inlined").
    for key in [("doc", "stored fields"), ("card", "column"), ("body_bg", "positions (inlined)"),
                ("body_bg", "term dictionary"), ("(segment)", "term hash tables"),
                ("(index)", "originals (files/)"), ("body", "field lengths")]:
        assert parts[key] > 0, key
    row = re.search(r"^TOTAL \(du of the folder\)\s+([\d.]+) MB", out, re.M)
    assert row and float(row.group(1)) == round(total / 1e6, 3)
    assert re.search(r"^body_bg\s+positions \(inlined\)\s+[\d.]+ MB\s+[\d.]+ %$", out, re.M)
