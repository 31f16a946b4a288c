"""Issue 14, the CLI: what a search does at open, done lazily or in one read, gives what the
eager way gave: the normalization table filled as text meets each character, and a shared
column's codes read from its references in one go."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from index import open_index
from index.analysis import normalize_text
from index.columns import SharedReader, shared_codes
from index.search.authority import citation_counts
from index.search.scoring import _leaf_column, corpus_for
from ingest.model import cjk_fold_table

LAWS = {"中华人民共和国安全生产法": ("为了加强安全生产工作，防止和减少生产安全事故，制定本法。",
                                   "生产经营单位必须遵守本法和其他有关安全生产的法律、法规。"),
        "生产安全事故应急条例": ("根据《中华人民共和国安全生产法》，制定本条例。",
                               "依照《中华人民共和国安全生产法》的规定，县级以上人民政府应当"
                               "加强应急工作。",
                               "生产经营单位应当依照《中华人民共和国安全生产法》制定应急预案。")}
ARTICLES = "一二三四五六七八"


@pytest.fixture(scope="module")
def laws_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of law articles, JSON Lines: many records share a file, a work, a type."""
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    folder = tmp_path_factory.mktemp("laws")
    lines = [{"id": f"{law}|第{ARTICLES[k]}条", "law": law, "article": f"第{ARTICLES[k]}条",
              "text": text}
             for law, texts in LAWS.items() for k, text in enumerate(texts * 2)]
    (folder / "laws.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    path = folder / "index"
    summary = ingest_into_index([folder / "laws.jsonl"], path)
    assert summary.failures == () and summary.indexed == len(lines)
    return path


def eager_table() -> dict[int, str]:
    """The table as it was built before (every BMP character at once), to compare with."""
    table = {}
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c).lower()
        if len(n) == 1 and n != c:
            table[cp] = n
    table.update({cp: t.lower() for cp, t in cjk_fold_table().items() if cp not in table})
    return table


def test_normalize_text_folds_every_character_as_the_whole_table_did():
    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    expected = every.translate(eager_table())
    assert normalize_text(every) == expected
    assert normalize_text(every) == expected  # again, from the characters already met
    # the cases a user sees: full-width Latin and digits, a radical, a compatibility ideograph
    assert normalize_text("ＡＢＣ１２３") == "abc123"
    assert normalize_text("\u2ea0") == "民" and normalize_text("\U0002f800") == "丽"
    assert normalize_text("ﬁ𝐀") == "ﬁ𝐀"  # several characters for one: left as they are


def test_shared_column_codes_equal_sorting_every_records_value(laws_index: Path):
    index = open_index(laws_index)
    try:
        corpus = corpus_for(index._searcher())
        checked = 0
        for leaf in corpus.leaves:
            for field in ("work", "source_path", "source_sha256", "doc_type"):
                if field not in leaf.reader.schema or not leaf.reader.has_column(field):
                    continue
                column = leaf.reader.column_reader(field, translate=False)
                if not isinstance(column, SharedReader):
                    continue
                values = _leaf_column(leaf, field)
                text = np.asarray([("" if v is None else v) for v in values],
                                  dtype=object).astype(str)
                labels, codes = np.unique(text, return_inverse=True)
                got_labels, got_codes = shared_codes(leaf.reader, field)
                assert got_labels.tolist() == labels.tolist()
                assert got_codes.tolist() == codes.tolist()
                assert [got_labels[c] for c in got_codes] == text.tolist()
                checked += 1
        assert checked >= 3  # the work's title, the source path and its digest at least
        # the citation prior read through them: the law is cited by the six articles of the
        # regulation that name it in 《》, so each of its records counts 6, the others 0
        codes, works = corpus.codes("work")
        counts = citation_counts(corpus)
        per_work = {(str(works[c]), float(n)) for c, n in zip(codes.tolist(), counts.tolist())}
        assert per_work == {("中华人民共和国安全生产法", 6.0), ("生产安全事故应急条例", 0.0)}
    finally:
        index.close()
