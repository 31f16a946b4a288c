"""Keyword queries: scoring only the matches gives the scores of the whole, and the keyword
benchmark (gongwen, a baseline checkout and the FTS5 peer in one run) runs on a slice."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from docs import build_index, make_doc
from index import SearchRequest
from index.search.query import parse_query
from index.search.ranking import RankParams, bm25_scores, make_plan, match_mask
from index.search.scoring import corpus_for
from render import DATA

REPO = Path(__file__).resolve().parents[1]
STARD = DATA / "stard_statutes" / "corpus.jsonl.gz"
ROW = r"(?:\s+\d+\.\d+){6}\s+(\d+)$"  # wall and CPU p50, p95; two ratios to FTS5; no hit


def _corpus():
    """Twenty documents: 工人 and 队伍 each common, both together in two."""
    docs = [make_doc(f"w{i}", f"工人工作简报{i}", [f"第{i}批工人参加技能培训，工人素质提高。"])
            for i in range(9)]
    docs += [make_doc(f"t{i}", f"队伍建设通报{i}", [f"第{i}支队伍完成年度任务，队伍稳定。"])
             for i in range(9)]
    docs += [make_doc("both", "产业工人队伍建设改革", ["加强产业工人队伍建设，工人队伍不断壮大。"]),
             make_doc("body", "年度工作", ["一线工人队伍建设取得成效。"])]
    return docs


def test_scores_of_the_matches_alone_are_their_scores_among_all(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index", _corpus())
    try:
        hits = index.search(SearchRequest(q="工人 队伍")).hits
        assert [h.doc_id for h in hits] == ["both", "body"]
        searcher = index._searcher()  # the one the search above used
        corpus = corpus_for(searcher)
        params = RankParams()
        plan = make_plan(searcher.schema, parse_query("工人 队伍", searcher.schema), params)
        mask = match_mask(corpus, searcher.schema, plan, params, np.zeros(corpus.size, np.float32))
        assert 0 < mask.sum() < 0.25 * corpus.size  # selective enough to score the matches only
        whole = bm25_scores(corpus, plan, params)
        alone = bm25_scores(corpus, plan, params, mask)
        assert np.array_equal(alone[mask], whole[mask])  # bit for bit: same idf, same sums
        assert (alone[mask] > 0).all() and not alone[~mask].any()
        assert (whole[~mask] > 0).sum() >= 18  # the others hold one of the words: not scored
    finally:
        index.close()


needs_stard = pytest.mark.skipif(not STARD.is_file(), reason=f"STARD not found at {STARD}")


@needs_stard
def test_keyword_pairs_are_reproducible_words_of_one_article() -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import datasets, keywords

    records = list(datasets.load("stard", 5, 400).records)
    pairs = keywords.keyword_pairs(records, 30)
    assert len(pairs) == 30 == len(set(pairs))
    assert pairs == keywords.keyword_pairs(records, 30)
    assert pairs != keywords.keyword_pairs(records, 30, seed=keywords.SEED + 1)
    for q in pairs:
        a, b = q.split()
        assert a != b and any(a in r.text and b in r.text for r in records), q


@needs_stard
def test_slice_times_gongwen_a_baseline_and_fts5_on_the_same_queries(tmp_path: Path,
                                                                     capsys) -> None:
    sys.path.insert(0, str(REPO))
    from benchmarks import keywords

    assert keywords.main(["--work", str(tmp_path), "--docs", "300", "--limit", "12",
                          "--questions", "--baseline", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^stard_statutes: \d+ articles; FTS5 file \d+\.\d MB", out, re.M)
    keyword_part, question_part = out.split("## STARD dev questions")
    for part in (keyword_part, question_part):
        for name in ("gongwen (API: 10 hits, passages)", "gongwen lean (no passages)",
                     "baseline (API: 10 hits, passages)", "baseline lean (no passages)",
                     "fts5 (bm25, top 10)", "fts5 + snippet()"):
            row = re.search(rf"^{re.escape(name)}" + ROW, part, re.M)
            assert row is not None, name
            if part is keyword_part:  # both words come from one article: it is always found
                assert row.group(1) == "0", name
        # the baseline is this checkout in another process: the same ranking, query by query
        assert len(re.findall(r"same top-10 list for 12/12 queries", part)) == 2
