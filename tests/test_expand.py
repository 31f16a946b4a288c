"""Abbreviations and synonyms (简称 ↔ 全称): the table, the query, the hits, the page and the API."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from docs import build_index, make_doc
from index import Index, IndexError_, SearchRequest, setup_analysis
from index.search.expand import DEFAULT_SYNONYMS, Expander, load_expander, read_synonyms
from index.search.query import Unit, parse_query
from index.schema import build_schema


def corpus():
    """Each form of two abbreviations, in documents of its own."""
    return [
        make_doc("short", "全州产改工作推进会", ["会议部署了下一阶段的产改任务。"]),
        make_doc("full", "产业工人队伍建设改革推进情况", ["全省推进产业工人队伍建设改革，成效明显。"]),
        make_doc("meeting", "开好职代会", ["各企业要按期召开职代会。"]),
        make_doc("congress", "职工代表大会制度", ["职工代表大会是企业民主管理的基本形式。"]),
        make_doc("apart", "产业工人与改革", ["产业工人积极参与，队伍建设稳步推进，改革持续深化。"]),
    ]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    index = build_index(tmp_path_factory.mktemp("expand") / "ix", corpus())
    yield index
    index.close()


def ids(index: Index, q: str, **kw: object) -> set[str]:
    return {h.doc_id for h in index.search(SearchRequest(q=q, per_page=50, **kw)).hits}


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


# -- the table ---------------------------------------------------------------------------

def test_bundled_table_reads_and_knows_the_reference_abbreviations() -> None:
    table = load_expander()
    assert table.others["产改"] == ("产业工人队伍建设改革",)
    assert table.others["产业工人队伍建设改革"] == ("产改",)
    assert table.others["职代会"] == ("职工代表大会",)
    assert "简政放权、放管结合、优化服务" in table.others["放管服"]
    assert all(len(group) >= 2 for group in read_synonyms(DEFAULT_SYNONYMS))


def test_table_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "synonyms.txt"
    bad.write_text("# comment\n产改 = 产业工人队伍建设改革\n只有一个\n", encoding="utf-8")
    with pytest.raises(IndexError_, match=r"synonyms.txt:3：应为“词 = 词 \[= 词 …\]”，实际是"):
        read_synonyms(bad)
    with pytest.raises(IndexError_, match="无法读取同义词表"):
        read_synonyms(tmp_path / "missing.txt")


def test_groups_are_symmetric_and_normalized() -> None:
    table = Expander.from_groups([("ＡＢＣ", "甲乙丙"), ("甲乙丙", "丁戊")])
    assert table.others == {"abc": ("甲乙丙",), "甲乙丙": ("abc", "丁戊"), "丁戊": ("甲乙丙",)}


def test_full_form_cut_into_several_words_becomes_one_unit() -> None:
    setup_analysis()
    schema = build_schema()
    parsed = parse_query("产业工人队伍建设改革 成效", schema, load_expander())
    (clause,) = parsed.clauses[:1]
    first = clause.units[0]
    assert first.text == "产业工人队伍建设改革"
    assert len(first.words) > 1  # jieba cuts it; the unit keeps all of its words
    assert first.alternatives == (Unit("产改", ("产改",)),)
    assert parsed.expansions == ("产改",)
    assert parse_query("产业工人队伍建设改革", schema).expansions == ()


# -- searching -----------------------------------------------------------------------------

def test_abbreviation_finds_the_full_form_and_the_reverse(ix: Index) -> None:
    assert ids(ix, "产改") == {"short", "full"}
    assert ids(ix, "产业工人队伍建设改革") == {"short", "full", "apart"}  # apart: every word
    assert ids(ix, "职代会") == {"meeting", "congress"}
    assert ids(ix, "职工代表大会") == {"meeting", "congress"}


def test_expansion_can_be_switched_off(ix: Index) -> None:
    assert ids(ix, "产改", expand=False) == {"short"}
    assert ids(ix, "职工代表大会", expand=False) == {"congress"}
    res = ix.search(SearchRequest(q="职代会", expand=False))
    assert res.expansions == ()


def test_results_say_what_was_also_searched(ix: Index) -> None:
    assert ix.search(SearchRequest(q="产改")).expansions == ("产业工人队伍建设改革",)
    assert ix.search(SearchRequest(q="职工代表大会 企业")).expansions == ("职代会",)
    assert ix.search(SearchRequest(q="推进会")).expansions == ()


def test_the_full_form_is_highlighted_for_the_abbreviation(ix: Index) -> None:
    hits = {h.doc_id: h for h in ix.search(SearchRequest(q="产改")).hits}
    assert marked(hits["full"].title_html) == ["产业工人队伍建设改革"]
    assert marked(hits["full"].passages[0].html) == ["产业工人队伍建设改革"]
    assert marked(hits["short"].passages[0].html) == ["产改"]


def test_the_form_typed_ranks_above_its_expansion(ix: Index) -> None:
    order = [h.doc_id for h in ix.search(SearchRequest(q="职代会")).hits]
    assert order == ["meeting", "congress"]


# -- the web page, the API and the command line ----------------------------------------------

@pytest.fixture(scope="module")
def client(ix: Index):
    from search_app import create_app

    app = create_app({"TESTING": True, "INDEX_PATH": str(ix.path)})
    return app.test_client()


def test_page_shows_what_was_also_searched_with_a_switch(client) -> None:
    page = client.get("/search?q=产改").get_data(as_text=True)
    assert "同时检索了：" in page and '<span class="term">产业工人队伍建设改革</span>' in page
    off = re.search(r'<a class="expand-off" href="([^"]+)"', page).group(1)
    assert "expand=0" in off
    page = client.get(off.replace("&amp;", "&")).get_data(as_text=True)
    assert "同时检索了" not in page and "简称与同义词扩展已关闭" in page
    assert 'data-doc-id="short"' in page and 'data-doc-id="full"' not in page


def test_api_lists_expansions_and_obeys_expand(client) -> None:
    body = json.loads(client.get("/api/search?q=职代会").get_data(as_text=True))
    assert body["expansions"] == ["职工代表大会"]
    assert {r["doc_id"] for r in body["results"]} == {"meeting", "congress"}
    body = json.loads(client.get("/api/search?q=职代会&expand=0").get_data(as_text=True))
    assert body["expansions"] == [] and [r["doc_id"] for r in body["results"]] == ["meeting"]


def test_cli_no_expand(ix: Index) -> None:
    from click.testing import CliRunner

    from search_app.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["search", "产改", "--index", str(ix.path)]).output
    assert "同时检索了：产业工人队伍建设改革" in out and "共找到 2 篇文档" in out
    out = runner.invoke(cli, ["search", "产改", "--no-expand", "--index", str(ix.path)]).output
    assert "同时检索了" not in out and "共找到 1 篇文档" in out
