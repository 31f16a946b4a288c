"""The text bonus stops at the first record that cannot reach the page: every page is the one
re-ranking all rerank_depth records gives, with the same scores, from fewer records read."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from docs import build_index, make_doc
from index import SearchRequest
from index.search.query import parse_query
from index.search.ranking import RankParams, TextFeatures, make_plan
from index.search.scoring import corpus_for

FILLER = "本单位按照年度计划组织开展各项日常事务，认真落实相关要求并做好记录。"


def _corpus():
    """Forty records with 工人 and 队伍 among sixty without: six with both in the title, far
    above the rest; the rest either short and naming them often but apart (a high BM25, a
    low bonus) or long and naming them once side by side (a lower BM25, the whole bonus), so
    that the bonus reorders them."""
    docs = [make_doc(f"top{i}", f"产业工人队伍建设第{i}号",
                     [f"工人队伍建设要求{i}：" + "工人队伍" * (i + 2)]) for i in range(6)]
    for i in range(34):
        if i % 2:
            text = "工人" * (1 + i % 3) + FILLER * 2 + "队伍" * (1 + i % 3)
        else:
            text = FILLER * (3 + i % 4) + "工人队伍稳定。"
        docs.append(make_doc(f"low{i:02d}", f"年度工作通报{i}", [text]))
    docs += [make_doc(f"other{i}", f"其他事项{i}", [FILLER]) for i in range(60)]
    return docs


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    ix = build_index(tmp_path_factory.mktemp("bonus") / "index", _corpus())
    yield ix
    ix.close()


def _texts_read(ix) -> int:
    corpus = corpus_for(ix._searcher())
    return sum(1 for key in corpus._texts._items if key[1:2] == ("text",))


def test_every_page_is_the_page_of_the_whole_rerank(index) -> None:
    first = index.search(SearchRequest(q="工人 队伍", per_page=3))
    assert first.total == 40
    # The page's three and the records that might still have overtaken them: not all 30.
    assert 3 <= _texts_read(index) <= 6
    whole = index.search(SearchRequest(q="工人 队伍", per_page=RankParams().rerank_depth))
    assert _texts_read(index) == RankParams().rerank_depth  # a page of 30 reads every one
    assert [h.doc_id for h in whole.hits[:6]] == [h.doc_id for h in first.hits] + \
        [h.doc_id for h in index.search(SearchRequest(q="工人 队伍", per_page=3, page=2)).hits]
    assert {h.doc_id for h in whole.hits[:6]} == {f"top{i}" for i in range(6)}
    for page in range(1, 5):
        got = index.search(SearchRequest(q="工人 队伍", per_page=3, page=page)).hits
        want = whole.hits[(page - 1) * 3:page * 3]
        assert [(h.doc_id, h.score) for h in got] == [(h.doc_id, h.score) for h in want]


def test_date_order_keeps_every_bonus(index) -> None:
    """Sorted by date, a page's scores are the re-ranked ones: nothing is cut short."""
    by_date = index.search(SearchRequest(q="工人 队伍", per_page=3, sort="date"))
    whole = {h.doc_id: h.score for h in index.search(
        SearchRequest(q="工人 队伍", per_page=RankParams().rerank_depth)).hits}
    assert [h.score for h in by_date.hits] == [whole[h.doc_id] for h in by_date.hits]


def test_ceiling_bounds_the_score_and_is_lifted_by_a_negative_weight(index) -> None:
    searcher = index._searcher()
    corpus = corpus_for(searcher)
    params = RankParams()
    for q, ceiling in (("工人 队伍", 0.85), ("产业工人队伍", 0.95)):  # trigrams only in the second
        features = TextFeatures(corpus, make_plan(searcher.schema, parse_query(q, searcher.schema),
                                                  params), params)
        assert features.ceiling() == pytest.approx(ceiling)
        assert features.score("产业工人队伍建设") == pytest.approx(ceiling)  # every part whole
    odd = RankParams(window_weight=-0.1)
    features = TextFeatures(corpus, make_plan(searcher.schema, parse_query(
        "工人 队伍", searcher.schema), odd), odd)
    assert features.ceiling() == math.inf


def test_a_list_of_titles_is_the_page_without_its_passages(index) -> None:
    """passages_per_doc=0 (the keyword benchmark's request): same hits and scores, no passage."""
    titles = index.search(SearchRequest(q="工人 队伍", per_page=5, passages_per_doc=0)).hits
    full = index.search(SearchRequest(q="工人 队伍", per_page=5)).hits
    assert [(h.doc_id, h.score, h.title_html) for h in titles] == \
        [(h.doc_id, h.score, h.title_html) for h in full]
    assert all(h.passages == () for h in titles)
    assert all(h.passages for h in full)  # each shows at least its lead passage
