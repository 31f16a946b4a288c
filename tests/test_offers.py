"""Empty and thin results (issue 13): did you mean, any of the words, identifiers no document is.

On a real index of the bundled demo corpus (the reference bulletin 《改革快报》第12期, a sample
第13期 of the same series, a notice and a policy) and of numbered 公文; the page and the API
through Flask's test client on the suite's web corpus.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from docs import build_index, make_doc
from index import Index, MissingIdentifier, Offer, SearchRequest

BUNDLED = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    from ingest import parse_file

    docs = [d for f in sorted(BUNDLED.iterdir()) for d in parse_file(f)]
    docs += [
        make_doc("n-4", "国务院办公厅关于全面做好清理拖欠农民工工资工作的通知", ["正文。"],
                 doc_number="国办发〔2019〕4号"),
        make_doc("n-6", "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知", ["正文。"],
                 doc_number="国办发〔2019〕6号"),
        make_doc("n-12", "另一份通知", ["正文。"], doc_number="国办发〔2019〕12号"),
        make_doc("n-2018", "二〇一八年的通知", ["正文。"], doc_number="国办发〔2018〕9号"),
        make_doc("h-1", "国务院关于一件事的通知", ["正文。"], doc_number="国发〔2019〕5号"),
        make_doc("cites", "贯彻落实的通知", ["按照国办发〔2019〕7号的要求开展工作。"]),
    ]
    index = build_index(tmp_path_factory.mktemp("offers") / "ix", docs)
    yield index
    index.close()


def search(ix: Index, q: str, **kw: object):
    return ix.search(SearchRequest(q=q, **kw))


# -- did you mean ---------------------------------------------------------------------------

def test_did_you_mean_respells_from_the_index_vocabulary(ix: Index) -> None:
    results = search(ix, "白洲工匠")
    assert results.total == 0
    assert results.suggestion == Offer("白州工匠", 1)
    assert search(ix, "白州工匠").hits[0].issue == "《改革快报》2021年第12期（总第38期）"


@pytest.mark.parametrize("typed, meant", [
    ("产业工认", "产业工人"),  # last character
    ("产业工人队五建设", "产业工人队伍建设"),  # inside a long word
    ("业产工人", "产业工人"),  # two swapped
    ("产业 白洲工匠", "产业 白州工匠"),  # one word of two: the other is kept
])
def test_did_you_mean_changes_only_the_misspelled_characters(ix: Index, typed: str,
                                                             meant: str) -> None:
    results = search(ix, typed)
    assert results.suggestion is not None and results.suggestion.q == meant
    assert results.suggestion.total == search(ix, meant).total > results.total


def test_no_suggestion_when_the_words_are_found_or_nothing_is_near(ix: Index) -> None:
    assert search(ix, "白州工匠").suggestion is None  # spelled right, even if rare
    assert search(ix, "产业工人").suggestion is None
    assert search(ix, "宇宙飞船").suggestion is None  # nothing one character away exists


# -- any of the words -------------------------------------------------------------------------

def test_any_words_offer_when_all_of_them_find_nothing(ix: Index) -> None:
    results = search(ix, "白州工匠 宇宙飞船")
    assert results.total == 0
    assert results.any_words == Offer("白州工匠 宇宙飞船", 1)
    anyof = search(ix, "白州工匠 宇宙飞船", any_words=True)
    assert anyof.total == 1 and anyof.hits[0].issue.startswith("《改革快报》2021年第12期")
    assert anyof.any_words is None  # already the any-words search


def test_any_words_of_one_unspaced_query_are_its_words(ix: Index) -> None:
    results = search(ix, "产业工人宇宙飞船")
    assert results.total == 0
    assert results.any_words == Offer("产业工人宇宙飞船", search(ix, "产业工人").total)


def test_no_any_words_offer_when_something_is_found_or_there_is_one_word(ix: Index) -> None:
    assert search(ix, "产业工人 工匠").any_words is None
    assert search(ix, "宇宙飞船").any_words is None


# -- identifiers no document is -----------------------------------------------------------------

def test_unknown_doc_number_says_so_with_the_nearest_numbers(ix: Index) -> None:
    results = search(ix, "国办发2019年8号")
    assert results.total == 0
    assert results.missing == (MissingIdentifier(
        "doc_number", "国办发〔2019〕8号", "没有发文字号为 国办发〔2019〕8号 的文件",
        ("国办发〔2019〕6号", "国办发〔2019〕4号", "国办发〔2019〕12号", "国办发〔2018〕9号")),)


def test_a_doc_number_only_cited_is_still_missing_but_the_citing_document_is_found(
        ix: Index) -> None:
    results = search(ix, "国办发〔2019〕7号")
    assert [h.doc_id for h in results.hits] == ["cites"]
    assert results.missing[0].message == "没有发文字号为 国办发〔2019〕7号 的文件"
    assert results.missing[0].nearest[:2] == ("国办发〔2019〕6号", "国办发〔2019〕4号")


def test_unknown_issuer_code_has_no_neighbours(ix: Index) -> None:
    (m,) = search(ix, "苏政发〔2019〕8号").missing
    assert (m.message, m.nearest) == ("没有发文字号为 苏政发〔2019〕8号 的文件", ())


def test_unknown_issue_number_names_the_series_and_its_nearest_issues(ix: Index) -> None:
    results = search(ix, "改革快报 第 15 期")
    assert results.missing == (MissingIdentifier(
        "issue", "改革快报第15期", "没有期号为 改革快报第15期 的简报",
        ("改革快报第13期", "改革快报第12期")),)
    assert search(ix, "2021年第12期").missing == ()
    (m,) = search(ix, "产业工人 第15期").missing  # not a series: any series' nearest issues
    assert (m.message, m.nearest) == ("没有期号为 第15期 的简报", ("第13期", "第12期"))


# -- the page, the API and the CLI ------------------------------------------------------------------

def test_api_fields(client) -> None:
    body = client.get("/api/search?q=白洲工匠").get_json()
    assert body["total"] == 0
    assert body["suggestion"] == {"q": "白州工匠", "total": 1}
    body = client.get("/api/search?q=国办发2019年99号").get_json()
    assert body["missing"] == [{"kind": "doc_number", "text": "国办发〔2019〕99号",
                                "message": "没有发文字号为 国办发〔2019〕99号 的文件",
                                "nearest": []}]
    body = client.get("/api/search?q=白州工匠 宇宙飞船").get_json()
    assert body["any_words"] == {"q": "白州工匠 宇宙飞船", "total": 1}
    assert client.get("/api/search?q=白州工匠 宇宙飞船&any_words=1").get_json()["total"] == 1
    response = client.get("/api/search?q=产业工人&any_words=maybe")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "参数 any_words 无效：应为 1 或 0，而不是“maybe”"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_page_offers_links_that_find_what_they_promise(client) -> None:
    html = client.get("/search?q=白洲工匠").get_data(as_text=True)
    (suggestion,) = re.findall(r'<p class="suggestion">(.*?)</p>', html, re.S)
    assert _text(suggestion) == "您是不是要找：白州工匠（1 篇）"
    link = re.search(r'href="([^"]+)"', suggestion)[1].replace("&amp;", "&")
    assert "没有找到" not in client.get(link).get_data(as_text=True)

    html = client.get("/search?q=白州工匠+宇宙飞船").get_data(as_text=True)
    (offer,) = re.findall(r'<p class="any-words">(.*?)</p>', html, re.S)
    assert _text(offer) == "没有同时包含全部检索词的文档。检索包含任一词的文档（1 篇）"
    link = re.search(r'href="([^"]+)"', offer)[1].replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert "共找到 <strong>1</strong> 篇文档" in page
    assert "显示包含任一检索词的文档。" in page


def test_page_says_an_issue_number_is_unknown(client) -> None:
    html = client.get("/search?q=改革快报+第99期").get_data(as_text=True)
    (notice,) = re.findall(r'<p class="missing-identifier" data-kind="issue">(.*?)</p>', html, re.S)
    assert _text(notice) == "没有期号为 改革快报第99期 的简报。已有的相近期号：改革快报第12期"


def test_cli_prints_the_offers(runner, index_dir: Path) -> None:
    from search_app.cli import cli

    result = runner.invoke(cli, ["search", "白洲工匠", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "您是不是要找：白州工匠（1 篇）" in result.output.splitlines()
