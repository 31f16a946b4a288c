"""Kangxi radicals, CJK radicals supplement and compatibility ideographs fold to unified ideographs:
in every format's text and metadata, in what is indexed and shown, and in the query."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from docs import build_index
from index import SearchRequest
from ingest import parse_file
from ingest.normalize import cjk_fold_table, fold_cjk
from render import DATA, Para, render_pdf

LOOK_ALIKES = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
UNIFIED = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
OFFICE = DATA / "office_files"

# 革命文物保护利用工程 and 人民 as a PDF text layer from a web page print carries them.
RADICAL_TITLE = "关于实施\u2fb0\u547d\u2f42\u7269保护利\u2f64\u2f2f程的意见"  # ⾰命⽂物 … 利⽤⼯程
RADICAL_BODY = ("各地要把\u2fb0\u547d\u2f42\u7269保护利\u2f64\u2f2f程摆上重要议事日程，"
                "依靠\u4eba\u2ea0群众，落实责任，确保各项任务落到实处。")  # ⺠


def look_alikes(doc) -> list[str]:
    """Every look-alike character anywhere in the document's JSON (title, metadata, passages)."""
    return LOOK_ALIKES.findall(json.dumps(doc.to_dict(), ensure_ascii=False))


def test_every_radical_and_compatibility_ideograph_folds_to_a_unified_ideograph() -> None:
    table = cjk_fold_table()
    assigned = [cp for lo, hi in ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
                for cp in range(lo, hi + 1) if unicodedata.category(chr(cp)) != "Cn"]
    # U+2E80 (CJK RADICAL REPEAT) has no ideograph equivalent in Unicode's data
    assert [hex(cp) for cp in assigned if cp not in table] == ["0x2e80"]
    assert len(table) > 1200  # 214 Kangxi + 114 supplement + ~1000 compatibility ideographs
    for cp, folded in table.items():
        assert UNIFIED.fullmatch(folded), hex(cp)
    assert fold_cjk("\u2fb0\u547d\u2f42\u7269") == "革命文物"
    assert fold_cjk("\u2ea0\u2ec5\u2ed4") == "民见门"  # supplement radicals NFKC leaves alone
    assert fold_cjk("\uf900\U0002f800") == "\u8c48\u4e3d"  # compatibility ideographs
    assert fold_cjk("﨎，〇①") == "﨎，〇①"  # a unified ideograph in the F900 block; others untouched


@pytest.fixture(scope="module")
def radical_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fold") / "radicals.pdf"
    render_pdf(path, [Para(RADICAL_TITLE, 20, "center", 0), Para(RADICAL_BODY)])
    return path


def test_pdf_text_layer_with_radicals_is_folded_in_title_and_text(radical_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(radical_pdf) as pdf:  # the font drew the radicals themselves
        assert len(LOOK_ALIKES.findall(pdf.pages[0].extract_text())) == 9
    (doc,) = parse_file(radical_pdf)
    assert look_alikes(doc) == []
    assert doc.title == "关于实施革命文物保护利用工程的意见"
    assert "把革命文物保护利用工程摆上重要议事日程，依靠人民群众，落实责任" in doc.text
    from search_app.citation import cite

    assert "革命文物保护利用工程" in cite(doc, "http://localhost/").text


def test_search_finds_the_folded_text_with_unified_or_radical_queries(
        radical_pdf: Path, tmp_path: Path) -> None:
    (doc,) = parse_file(radical_pdf)
    index = build_index(tmp_path / "ix", [doc])
    try:
        for query in ("革命文物", "\u2fb0\u547d\u2f42\u7269", "人民群众", "人\u2ea0群众"):
            hits = index.search(SearchRequest(q=query)).hits
            assert [h.doc_id for h in hits] == [doc.doc_id], query
        shown = index.get_document(doc.doc_id)
        assert shown is not None and look_alikes(shown) == []
    finally:
        index.close()


def test_metadata_from_json_lines_is_folded(tmp_path: Path) -> None:
    record = {"id": "r1", "title": RADICAL_TITLE, "issuer": "\u2f42\u7269局",
              "text": RADICAL_BODY, "topic": "\u2f42\u5316"}
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = parse_file(path)
    assert look_alikes(doc) == []
    assert (doc.title, doc.issuer, doc.extra["topic"]) == (
        "关于实施革命文物保护利用工程的意见", "文物局", "文化")


def test_json_lines_fold_each_record_written_or_escaped(tmp_path: Path) -> None:
    """Look-alikes escaped as \\uXXXX (json.dumps' default) fold as written ones do, record
    by record; the records around them are read as they are."""
    records = [{"id": "r1", "title": RADICAL_TITLE, "text": "正文。"},
               {"id": "r2", "title": "普通标题", "text": "正文。"},
               {"id": "r3", "title": "\u2f42\u7269保护办法", "text": "\u2f42\u7269保护。",
                "topic": "\u2f42\u5316"}]
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:2]] + [json.dumps(records[2])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "\\u2f42" in lines[2] and "\\u" not in lines[1]
    docs = parse_file(path)
    assert [look_alikes(d) for d in docs] == [[], [], []]
    assert [(d.doc_id, d.title, d.kind, d.text) for d in docs] == [
        ("r1", "关于实施革命文物保护利用工程的意见", "意见", "正文。"),
        ("r2", "普通标题", None, "正文。"),
        ("r3", "文物保护办法", "办法", "文物保护。")]
    assert docs[2].extra["topic"] == "文化"


def _kangxi_office_files() -> list[Path]:
    if not (OFFICE / "gold.jsonl").is_file():
        pytest.skip(f"real office files not found at {OFFICE}")
    rows = [json.loads(line) for line in (OFFICE / "gold.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    return [OFFICE / row["file"] for row in rows if "kangxi" in row["note"].lower()]


def _radical_words(path: Path) -> list[str]:
    """Runs of 4+ Han characters in the raw text layer that contain a look-alike, folded."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        raw = "".join(page.extract_text() or "" for page in pdf.pages)
    runs = re.findall("[\u2e80-\u2fdf\u4e00-\u9fff\uf900-\ufaff]{4,}", raw)
    return [fold_cjk(run) for run in runs if LOOK_ALIKES.search(run)]


def test_real_office_prints_with_radicals_are_folded_and_found(tmp_path: Path) -> None:
    files = _kangxi_office_files()
    assert len(files) >= 2
    docs = [doc for path in files for doc in parse_file(path)]
    assert [look_alikes(doc) for doc in docs] == [[] for _ in docs]
    index = build_index(tmp_path / "ix", docs)
    try:
        for path, doc in zip(files, docs):
            # The site banner and metadata table of a browser print become metadata, not text:
            # the words that are shown must be the folded ones, and found.
            shown = re.sub(r"\s", "", "".join([doc.title, doc.text] +
                                              [s.heading for s in doc.sections]))
            words = [w for w in _radical_words(path) if w in shown]
            assert len(words) >= 10, path.name
            for word in words[:: max(1, len(words) // 8)]:  # a spread of them
                hits = index.search(SearchRequest(q=f'"{word}"', per_page=5)).hits
                assert doc.doc_id in [h.doc_id for h in hits], (path.name, word)
    finally:
        index.close()
