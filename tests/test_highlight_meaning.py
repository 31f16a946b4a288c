"""Highlights that mean something (issue 13): the query's words and phrases are marked, not
every common word they contain; a long passage's fragment is centred on its densest matches.

Through a real index (jieba, bigram fields, the abbreviation table) and its search results.
"""
from __future__ import annotations

import re

import pytest

from docs import build_index, make_doc
from index import Index, SearchRequest
from index.search.highlight import FRAGMENT_CHARS

FILLER = "各地区各部门要结合实际认真贯彻执行，确保各项任务落到实处，并及时报告进展情况。"  # 38 chars


def spans(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def first_passage(index: Index, q: str, doc_id: str) -> str:
    hits = {h.doc_id: h for h in index.search(SearchRequest(q=q, per_page=20)).hits}
    return hits[doc_id].passages[0].html


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    docs = [
        make_doc("whole", "改革工作简报",
                 ["大理州产业工人队伍建设改革工作启动以来，坚持高位推动改革，每年安排专项工作经费。"]),
        make_doc("close", "深化改革", ["全州深化改革的各项工作全面推进，成效明显。"]),
        make_doc("apart", "两件事", ["今年推进医疗改革。" + FILLER + "年底前完成统计工作。"]),
        make_doc("synonym", "产改简报",
                 ["全州产业工人队伍建设改革稳步推进，产改经验在全省推广，深化改革成效明显。"]),
        make_doc("long", "长段落",
                 ["推动改革工作。" + FILLER * 8 + "技能人才培养要与改革工作结合，改革工作要服务技能人才培养，"
                  "改革工作和技能人才培养同步推进。" + FILLER * 8]),
        make_doc("pieces", "长段落二",
                 ["推进改革，深化改革，全面改革，持续改革，系统改革。" + FILLER * 8 + "本年度改革工作成效明显。"
                  + FILLER * 8]),
    ]
    index = build_index(tmp_path_factory.mktemp("hl") / "ix", docs)
    yield index
    index.close()


def test_a_typed_word_is_marked_whole_not_its_common_pieces(ix: Index) -> None:
    # before: 改革工作, and 改革 in 推动改革, and 工作 in 工作经费 were all marked
    html = first_passage(ix, "改革工作", "whole")
    assert spans(html) == ["改革工作"]
    assert html == ("大理州产业工人队伍建设<mark>改革工作</mark>启动以来，坚持高位推动改革，"
                    "每年安排专项工作经费。")


def test_pieces_standing_together_are_marked(ix: Index) -> None:
    assert spans(first_passage(ix, "改革工作", "close")) == ["改革", "工作"]


def test_pieces_far_apart_are_marked_when_nothing_better_is_there(ix: Index) -> None:
    assert spans(first_passage(ix, "改革工作", "apart")) == ["改革", "工作"]


def test_words_typed_apart_are_each_marked_everywhere(ix: Index) -> None:
    # (touching marks merge: 改革 and 工作 side by side are one mark)
    assert spans(first_passage(ix, "改革 工作", "whole")) == ["改革工作", "改革", "工作"]


def test_an_expanded_abbreviation_marks_its_forms_not_their_words(ix: Index) -> None:
    # 产业工人队伍建设改革 = 产改: both forms, and not the 改革 of 深化改革
    html = first_passage(ix, "产业工人队伍建设改革", "synonym")
    assert spans(html) == ["产业工人队伍建设改革", "产改"]


def test_a_long_passage_shows_the_window_centred_on_its_densest_matches(ix: Index) -> None:
    html = first_passage(ix, "改革工作", "long")
    assert spans(html) == ["改革工作"] * 3  # the cluster, not the lone one at the start
    assert html.startswith("…") and html.endswith("…")
    text = html.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert len(text) == FRAGMENT_CHARS
    before = text.index("改革工作")
    after = len(text) - (text.rindex("改革工作") + len("改革工作"))
    assert abs(before - after) <= 1  # centred


def test_the_window_goes_to_the_typed_word_not_to_a_cluster_of_its_pieces(ix: Index) -> None:
    html = first_passage(ix, "改革工作", "pieces")
    assert spans(html) == ["改革工作"]
    assert "深化改革" not in html
