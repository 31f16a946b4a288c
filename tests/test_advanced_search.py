"""Issue 13 items 1-5: query syntax, advanced fields, facets that narrow, chips, 结果中检索, sorts.

A small real index on disk; the web pages through Flask's test client; the CLI through click.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse

import pytest
from click.testing import CliRunner

from docs import build_index, make_doc
from render import DATA
from index import QueryError, SearchRequest
from index.search.syntax import Branch, QuerySyntaxError, branches, has_operators
from ingest.model import BulletinInfo
from search_app import create_app
from search_app.cli import cli


def corpus():
    return [
        make_doc("g1", "国务院关于深化改革的通知", ["全面深化改革，推进放管服。"], kind="通知",
                 issuer="国务院", doc_number="国发〔2019〕1号", date=dt.date(2019, 1, 10)),
        make_doc("g2", "国务院办公厅关于推进改革试点的意见", ["开展改革试点，总结经验。"],
                 kind="意见", issuer="国务院办公厅", doc_number="国办发〔2020〕6号",
                 date=dt.date(2020, 5, 1),
                 extra={"publish_date": "2020-05-08", "topic": "综合政务"}),
        make_doc("g3", "教育部关于职业教育的通知", ["深化职业教育改革，办好技能大赛。"],
                 kind="通知", issuer="教育部", doc_number="教职成〔2021〕3号",
                 date=dt.date(2021, 3, 1), extra={"publish_date": "2021-03-09"}),
        make_doc("b1", "劳动竞赛推动改革", ["各地开展劳动竞赛，助力改革。"], doc_type="bulletin",
                 kind="快报", issuer="工会办公室", date=dt.date(2021, 12, 20),
                 bulletin=BulletinInfo(name="职工快报", year=2021, number=12)),
        make_doc("b2", "劳动竞赛简讯", ["劳动竞赛持续开展。"], doc_type="bulletin", kind="快报",
                 issuer="工会办公室", bulletin=BulletinInfo(name="职工快报", year=2021, number=3)),
        make_doc("b3", "技能大赛综述", ["技能大赛与改革并进。"], doc_type="bulletin", kind="简报",
                 issuer="大理州总工会", date=dt.date(2022, 1, 5),
                 bulletin=BulletinInfo(name="工作简报", year=2022, number=1)),
        make_doc("u1", "关于改革工作的说明", ["改革工作要点，尚未注明日期。"], kind="说明"),
    ]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("advanced") / "ix"
    build_index(folder, corpus()).close()
    return folder


@pytest.fixture(scope="module")
def ix(index_dir):
    from index import open_index
    index = open_index(index_dir)
    yield index
    index.close()


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"TESTING": True, "INDEX_PATH": index_dir}).test_client()


def ids(ix, q="", **kw):
    return [h.doc_id for h in ix.search(SearchRequest(q=q, per_page=100, **kw)).hits]


# -- query syntax ----------------------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("劳动竞赛 OR 职业教育", {"b1", "b2", "g3"}),
    ("劳动竞赛 | 职业教育", {"b1", "b2", "g3"}),
    ("劳动竞赛｜职业教育", {"b1", "b2", "g3"}),  # the IME's full-width bar
    ("改革 -劳动竞赛", {"g1", "g2", "g3", "b3", "u1"}),
    ("改革 NOT 劳动竞赛", {"g1", "g2", "g3", "b3", "u1"}),
    ("(劳动竞赛 OR 技能大赛) 改革", {"b1", "b3", "g3"}),
    ("（劳动竞赛 OR 技能大赛） NOT 职业教育", {"b1", "b2", "b3"}),
    ("NOT (改革 OR 劳动竞赛)", set()),
    ("改革 -(劳动竞赛 OR 技能大赛)", {"g1", "g2", "u1"}),
    ('"改革试点" OR "放管服"', {"g1", "g2"}),
    ("标题:通知 OR 标题:意见", {"g1", "g2", "g3"}),
    ("改革 发文机关:国务院", {"g1", "g2"}),  # inline: names containing it
    ("改革 NOT 发文机关:国务院", {"g3", "b1", "b3", "u1"}),
    ("文号:国办发〔2020〕6号 OR 文号:国发〔2019〕1号", {"g1", "g2"}),
    ("文种:通知", {"g1", "g3"}),
    ("刊名:职工快报", {"b1", "b2"}),
    ("刊名:职工快报 -劳动竞赛", set()),
    ("劳动竞赛 AND 改革", {"b1"}),
])
def test_each_operator_and_field_prefix(ix, q, expected):
    assert set(ids(ix, q)) == expected


@pytest.mark.parametrize("q", ["改革 职业教育", "改革 -劳动竞赛", '"改革试点" 国务院', "标题:通知 改革",
                               "国办发(2020)6号", "第12期 职工快报", "为什么要改革？",
                               "（一）总体要求", "(改革 发展", "改革)"])
def test_plain_queries_are_one_branch_read_as_before(q):
    assert not has_operators(q)
    assert branches(q) == (Branch(q),)


def test_branches_spread_or_over_and():
    assert branches("(A OR B) C NOT 标题:D") == (Branch("A C", (("title", "D"),)),
                                                 Branch("B C", (("title", "D"),)))
    assert branches("NOT (A | B)") == (Branch("-A -B"),)


@pytest.mark.parametrize("q, position, reason", [
    ("改革 OR", 3, "“OR”（或 |）的两边都要有检索词"),
    ("OR 改革", 0, "“OR”（或 |）的两边都要有检索词"),
    ("(改革 OR 发展", 0, "左括号没有对应的右括号"),
    ("改革 (发展 OR 试点))", 13, "多余的右括号"),
    ("改革 OR ()", 7, "括号里没有检索词"),
    ("改革 NOT", 3, "“NOT”后面缺少要排除的检索词"),
    ('(改革 OR "试点)', 7, "引号不成对"),
    ("(标题: 改革 | 试点)", 3, "“标题:”后面缺少检索词"),
])
def test_syntax_errors_point_at_the_character(ix, q, position, reason):
    with pytest.raises(QuerySyntaxError) as caught:
        ix.search(SearchRequest(q=q))
    assert caught.value.position == position
    assert str(caught.value) == f"第 {position + 1} 个字符“{q[position]}”处" + \
        str(caught.value).split("处", 1)[1]
    assert reason in str(caught.value)


def test_syntax_error_page_marks_the_character(client):
    page = client.get("/search", query_string={"q": "改革 (发展 OR 试点))"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "检索式有误：第 14 个字符“)”处多余的右括号" in html
    assert "<code>改革 (发展 OR 试点)<mark>)</mark></code>" in html


def test_syntax_error_in_the_api(client):
    reply = client.get("/api/search", query_string={"q": "改革 OR (发展"})
    assert reply.status_code == 400
    assert reply.get_json()["error"]["message"] == "检索式有误：第 7 个字符“(”处左括号没有对应的右括号"


@pytest.mark.parametrize("q", [" ".join(f"(a{i} OR b{i})" for i in range(6)),
                               " OR ".join(f"w{i}" for i in range(33)),
                               "NOT (" + " ".join(f"w{i}" for i in range(33)) + ")"])
def test_too_many_branches_are_refused(ix, q):
    with pytest.raises(QueryError, match="检索式展开后超过 32 种组合：请减少“OR”或括号"):
        ix.search(SearchRequest(q=q))
    assert len(branches(" OR ".join(f"w{i}" for i in range(32)))) == 32


# -- fields of the request -------------------------------------------------------------

def test_issuer_is_exact_and_sub_bodies_a_choice(ix):
    assert ids(ix, "改革", any_of=(("issuer", ("国务院",)),)) == ["g1"]
    assert set(ids(ix, "改革", any_of=(("issuer", ("国务院",)),), issuer_sub=True)) == {"g1", "g2"}


def test_scope_title_or_body(ix):
    assert set(ids(ix, "改革", scope="title")) == {"g1", "g2", "b1", "u1"}
    assert set(ids(ix, "技能大赛", scope="body")) == {"g3", "b3"}
    assert set(ids(ix, "技能大赛", scope="title")) == {"b3"}


def test_publish_date_range_and_issue(ix):
    assert ids(ix, "", pub_from=dt.date(2020, 5, 8), pub_to=dt.date(2020, 12, 31)) == ["g2"]
    assert ids(ix, "", issue="2021年第12期") == ["b1"]
    assert ids(ix, "", issue="3", any_of=(("journal", ("职工快报",)),)) == ["b2"]


def test_within_is_bounded(client):
    reply = client.get("/api/search", query_string=[("q", "改革")] +
                       [("within", f"词{i}") for i in range(11)])
    assert reply.status_code == 400
    assert reply.get_json()["error"]["message"] == "检索式有误：结果中检索最多 10 层，而不是 11 层"


def test_search_within_results(ix):
    assert set(ids(ix, "改革")) == {"g1", "g2", "g3", "b1", "b3", "u1"}
    assert set(ids(ix, "改革", within=("技能大赛 OR 劳动竞赛",))) == {"g3", "b1", "b3"}
    assert set(ids(ix, "改革", within=("技能大赛 OR 劳动竞赛", "标题:综述"))) == {"b3"}


# -- facets ----------------------------------------------------------------------------

def test_facets_take_several_values_and_count_without_their_own_choice(ix):
    res = ix.search(SearchRequest(q="改革", any_of=(("kind", ("通知", "意见")),), per_page=100))
    assert {h.doc_id for h in res.hits} == {"g1", "g2", "g3"}
    # 文种 counts ignore the 文种 choice (so another kind can be added); the others obey it.
    assert res.facets["kind"] == {"通知": 2, "快报": 1, "简报": 1, "意见": 1, "说明": 1}
    assert res.facets["issuer"] == {"国务院": 1, "国务院办公厅": 1, "教育部": 1}
    assert res.facets["doc_type"] == {"policy": 3}
    assert res.facets["year"] == {"2019": 1, "2020": 1, "2021": 1}
    assert res.facets["topic"] == {"综合政务": 1}
    both = ix.search(SearchRequest(q="改革", per_page=100, any_of=(
        ("kind", ("通知", "意见")), ("year", ("2019", "2021")))))
    assert {h.doc_id for h in both.hits} == {"g1", "g3"}  # OR within, AND across
    assert both.facets["year"] == {"2019": 1, "2020": 1, "2021": 1}
    assert both.facets["kind"] == {"通知": 2, "快报": 1}


def test_facets_of_journals(ix):
    res = ix.search(SearchRequest(q="", any_of=(("doc_type", ("bulletin",)),)))
    assert res.facets["journal"] == {"职工快报": 2, "工作简报": 1}


# -- sorting ---------------------------------------------------------------------------

def test_date_sorts_put_undated_documents_last_both_ways(ix):
    newest = ids(ix, "改革 OR 劳动竞赛", sort="date")
    oldest = ids(ix, "改革 OR 劳动竞赛", sort="date_asc")
    assert newest[:5] == ["b3", "b1", "g3", "g2", "g1"]
    assert oldest[:5] == ["g1", "g2", "g3", "b1", "b3"]
    assert set(newest[5:]) == set(oldest[5:]) == {"b2", "u1"}


def test_issue_sort_orders_each_series(ix):
    order = ids(ix, "改革 OR 劳动竞赛 OR 技能大赛", sort="issue")
    assert order[:3] == ["b3", "b2", "b1"]  # 工作简报 2022-1; 职工快报 2021-3, 2021-12
    assert set(order[3:]) == {"g1", "g2", "g3", "u1"}


def test_undated_hits_say_so(client):
    html = client.get("/search", query_string={"q": "改革工作要点"}).get_data(as_text=True)
    assert '<span class="date undated">未注明日期</span>' in html


# -- the web page: facets, chips, kept filters -----------------------------------------

def _links(html, css_class):
    return [urllib.parse.unquote(h.replace("&amp;", "&"))
            for h in re.findall(rf'<a class="{css_class}" href="([^"]+)"', html)]


def _params(url):
    return sorted(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_chips_each_remove_exactly_one_filter(client):
    url = "/search?q=改革&kind=通知&kind=意见&issuer=国务院&from=2019-01-01&within=国务院 OR 教育部"
    html = client.get(url).get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+) ×</a>', html)
    labels = [label for _, label in chips]
    assert labels == ["文种：通知", "文种：意见", "发文机关：国务院", "成文日期起：2019-01-01",
                      "在“国务院 OR 教育部”的结果中"]
    full = _params(url)
    for href, label in chips:
        left = _params(urllib.parse.unquote(href.replace("&amp;", "&")))
        missing = [p for p in full if p not in left]
        assert len(missing) == 1 and len(left) == len(full) - 1, label
    assert '<a class="clear-all" href="/search?q=%E6%94%B9%E9%9D%A9">清除条件</a>' in html


def test_filters_in_a_url_are_shown_and_kept_across_paging_and_a_new_query(client):
    html = client.get("/search", query_string=[("q", "改革"), ("type", "policy"),
                                               ("year", "2019"), ("year", "2021"),
                                               ("sort", "date"), ("per_page", "1")]).get_data(
        as_text=True)
    assert "类型：政策文件 ×" in html and "年份：2019年 ×" in html and "年份：2021年 ×" in html
    pages = [u for u in re.findall(r'href="(/search\?[^"]+)"', html)
             if re.search(r"(\?|&amp;)page=", u)]
    assert pages and all(("type", "policy") in _params(u.replace("&amp;", "&"))
                         and ("year", "2021") in _params(u.replace("&amp;", "&")) for u in pages)
    (oldest,) = [u.replace("&amp;", "&") for u in re.findall(r'href="(/search\?[^"]+)"', html)
                 if "sort=date_asc" in u]
    assert _params(oldest) == sorted([("q", "改革"), ("type", "policy"), ("year", "2019"),
                                      ("year", "2021"), ("sort", "date_asc"), ("per_page", "1")])
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    assert [h for h in hidden if h[0] != "within_prev"] == [
        ("type", "policy"), ("year", "2019"), ("year", "2021"), ("sort", "date"),
        ("per_page", "1")]
    # the form as the browser sends it with a new query typed in: the filters hold
    new = client.get("/search", query_string=[("q", "通知")] + hidden).get_data(as_text=True)
    found = re.findall(r'data-doc-id="([^"]+)"', new)
    assert found == ["g3"] and "年份：2021年 ×" in new


def test_ticking_a_second_facet_value_adds_to_the_first(client):
    html = client.get("/search", query_string={"q": "改革", "kind": "通知"}).get_data(as_text=True)
    group = html[html.index('data-facet="kind"'):]
    group = group[:group.index("</div>")]
    link = re.search(r'<a href="([^"]+)" class="facet-value"[^>]*>☐ 意见</a>', group).group(1)
    assert ("kind", "通知") in _params(link.replace("&amp;", "&"))
    assert ("kind", "意见") in _params(link.replace("&amp;", "&"))
    both = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert sorted(re.findall(r'data-doc-id="([^"]+)"', both)) == ["g1", "g2", "g3"]


def test_search_within_results_from_the_box(client):
    html = client.get("/search", query_string=[("q", "技能大赛"), ("in_results", "1"),
                                               ("within_prev", "改革")]).get_data(as_text=True)
    assert sorted(re.findall(r'data-doc-id="([^"]+)"', html)) == ["b3", "g3"]
    assert "在“改革”的结果中 ×" in html
    assert '<span class="within-note">：在“改革”的结果中检索“技能大赛”</span>' in html
    unchecked = client.get("/search", query_string=[("q", "技能大赛"), ("within_prev", "职业")])
    assert sorted(re.findall(r'data-doc-id="([^"]+)"', unchecked.get_data(as_text=True))) == \
        ["b3", "g3"]
    api = client.get("/api/search", query_string={"q": "改革", "within": "劳动竞赛"}).get_json()
    assert [r["doc_id"] for r in api["results"]] == ["b1"]


# -- the advanced page ------------------------------------------------------------------

def test_advanced_page_has_every_field(client):
    html = client.get("/advanced").get_data(as_text=True)
    for name in ("scope", "all", "any", "phrase", "not", "doc_number", "agency", "dn_year",
                 "dn_serial", "issuer", "issuer_sub", "kind", "journal", "issue", "from", "to",
                 "pub_from", "pub_to", "sort"):
        assert f'name="{name}"' in html, name
    assert html.count('type="date"') == 4
    assert 'href="/advanced"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("form, location, found", [
    ({"all": "改革 通知"}, [("q", "改革 通知")], {"g1", "g3"}),
    ({"any": "劳动竞赛 职业教育"}, [("q", "(劳动竞赛 OR 职业教育)")], {"b1", "b2", "g3"}),
    ({"phrase": "改革试点"}, [("q", '"改革试点"')], {"g2"}),
    ({"all": "改革", "not": "劳动竞赛 技能"}, [("q", "改革 -劳动竞赛 -技能")], {"g1", "g2", "u1"}),
    ({"all": "技能大赛", "scope": "title"}, [("q", "技能大赛"), ("scope", "title")], {"b3"}),
    ({"doc_number": "国办发〔2020〕6号"}, [("doc_number", "国办发〔2020〕6号")], {"g2"}),
    ({"agency": "国发", "dn_year": "2019", "dn_serial": "1"}, [("doc_number", "国发〔2019〕1号")],
     {"g1"}),
    ({"agency": "国办发"}, [("doc_number", "国办发")], {"g2"}),
    ({"all": "改革", "issuer": "国务院"}, [("issuer", "国务院"), ("q", "改革")], {"g1"}),
    ({"all": "改革", "issuer": "国务院", "issuer_sub": "1"},
     [("issuer", "国务院"), ("issuer_sub", "1"), ("q", "改革")], {"g1", "g2"}),
    ({"kind": "意见"}, [("kind", "意见")], {"g2"}),
    ({"journal": "职工快报", "issue": "第3期"}, [("issue", "第3期"), ("journal", "职工快报")], {"b2"}),
    ({"from": "2020-01-01", "to": "2021-12-31"}, [("from", "2020-01-01"), ("to", "2021-12-31")],
     {"g2", "g3", "b1"}),
    ({"pub_from": "2021-01-01"}, [("pub_from", "2021-01-01")], {"g3"}),
])
def test_advanced_page_submits_each_field(client, form, location, found):
    blank = {n: "" for n in ("all", "any", "phrase", "not", "doc_number", "agency", "dn_year",
                             "dn_serial", "issuer", "kind", "journal", "issue", "from", "to",
                             "pub_from", "pub_to")}
    sent = client.get("/advanced/search", query_string={"scope": "all", "sort": "relevance",
                                                         **blank, **form})
    assert sent.status_code == 302
    target = urllib.parse.unquote_plus(sent.headers["Location"])
    assert _params(target.replace("+", " ")) == sorted(location + [("sort", "relevance")])
    html = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert set(re.findall(r'data-doc-id="([^"]+)"', html)) == found
    api = client.get("/api/search", query_string={**form, "per_page": 50}).get_json()
    assert {r["doc_id"] for r in api["results"]} == found


def test_advanced_words_given_to_the_search_page_show_in_the_box(client):
    html = client.get("/search", query_string={"any": "劳动竞赛 职业教育", "not": "技能大赛"})
    text = html.get_data(as_text=True)
    assert 'value="(劳动竞赛 OR 职业教育) -技能大赛"' in text
    assert set(re.findall(r'data-doc-id="([^"]+)"', text)) == {"b1", "b2"}


def test_advanced_number_in_the_wrong_order_is_refused(client):
    page = client.get("/advanced/search", query_string={"dn_serial": "6"})
    assert page.status_code == 400
    assert "发文字号请按 机关代字、年份、序号 的顺序填写，例如 国办发、2019、6" in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"dn_serial": "6"})
    assert api.status_code == 400
    assert "参数 dn_serial 无效：发文字号请按 机关代字、年份、序号 的顺序填写" in api.get_data(as_text=True)


def test_help_page_documents_the_syntax(client):
    html = client.get("/help/search").get_data(as_text=True)
    for text in ("A OR B，A | B", "-A，NOT A", "( … )", '"短语"', "标题:词", "发文机关:词", "文号:字号",
                 "文种:名称", "刊名:名称"):
        assert text in html, text
    assert 'href="/help/search"' in client.get("/").get_data(as_text=True)


def test_cli_takes_the_advanced_fields(index_dir):
    runner = CliRunner()
    run = runner.invoke(cli, ["search", "--index", str(index_dir), "--json", "--title-only",
                              "--any", "改革 技能大赛", "--not", "劳动竞赛", "--from", "2019-06-01",
                              "--sort", "date_asc"])
    assert run.exit_code == 0, run.output
    import json
    body = json.loads(run.output)
    assert body["query"] == "(改革 OR 技能大赛) -劳动竞赛"
    assert [r["doc_id"] for r in body["results"]] == ["g2", "b3"]
    issuer = runner.invoke(cli, ["search", "--index", str(index_dir), "--json", "--issuer", "国务院",
                                 "--issuer-sub", "--kind", "意见", "改革"])
    assert [r["doc_id"] for r in json.loads(issuer.output)["results"]] == ["g2"]
    text = runner.invoke(cli, ["search", "--index", str(index_dir), "改革工作要点"]).output
    assert "1. 关于改革工作的说明\n   政策文件 · 未注明日期\n" in text
    bad = runner.invoke(cli, ["search", "--index", str(index_dir), "改革 OR"])
    assert bad.exit_code != 0
    assert "检索式有误：第 4 个字符“O”处“OR”（或 |）的两边都要有检索词" in bad.output


def test_document_page_marks_both_sides_of_or(client):
    html = client.get("/documents/b3", query_string={"q": "技能大赛 OR 改革"}).get_data(as_text=True)
    assert "<mark>技能大赛</mark>与<mark>改革</mark>并进" in html.replace("</mark><mark>", "")


# -- the real gov.cn set: 发文机关 exact, sub-bodies a choice ---------------------------------

GOVCN = DATA / "govcn_2019" / "documents.jsonl"


@pytest.mark.skipif(not GOVCN.is_file(), reason=f"shared data not found at {GOVCN}")
def test_govcn_issuer_is_the_body_itself(tmp_path):
    from ingest import parse_file

    gold = [json.loads(line) for line in GOVCN.open(encoding="utf-8")]
    bodies = [set(g["issuer"].split("、")) for g in gold]
    with build_index(tmp_path / "ix", parse_file(GOVCN)) as index:
        def total(**kw):
            return index.search(SearchRequest(q="", per_page=1, **kw)).total

        exact = total(any_of=(("issuer", ("国务院",)),))
        assert exact == sum("国务院" in b for b in bodies) == 7
        assert total(any_of=(("issuer", ("国务院",)),), issuer_sub=True) == len(gold) == 29
        assert total(any_of=(("issuer", ("中央军委",)),)) == 1  # the second body of a joint one
        facets = index.search(SearchRequest(q="", any_of=(("doc_type", ("policy",)),))).facets
        assert facets["issuer"] == {"国务院办公厅": 22, "国务院": 7}
        assert sum(facets["topic"].values()) == 29 and facets["topic"]["其他"] == 4


def test_a_question_within_results_still_narrows(ix):
    assert set(ids(ix, "改革", within=("为什么要办技能大赛？",))) == {"g3", "b3"}


def test_issuers_grouped_by_level_with_more(index_dir):
    from index import SearchResults
    from search_app import refine

    names = ["国务院", "国务院办公厅", "教育部", "财政部", "海关总署"] + \
        [f"第{i}市人民政府" for i in range(1, 11)] + ["某协会"]
    results = SearchResults(query="改革", total=16, page=1, per_page=10,
                            facets={"issuer": {n: 20 - i for i, n in enumerate(names)}})
    app = create_app({"TESTING": True, "INDEX_PATH": index_dir})
    with app.test_request_context("/search?q=改革&issuer=教育部"):
        (group,) = refine.facet_groups(results)
    levels = {level: ([v.value for v in top], [v.value for v in more])
              for level, top, more in group.levels}
    assert levels == {"中央": (["国务院", "国务院办公厅"], []),
                      "国务院部门": (["教育部", "财政部", "海关总署"], []),
                      "地方": ([f"第{i}市人民政府" for i in range(1, 9)],
                             ["第9市人民政府", "第10市人民政府"]),
                      "其他": (["某协会"], [])}
    assert [v.value for v in group.values if v.chosen] == ["教育部"]
    html = app.test_client().get("/search", query_string={"q": "改革"}).get_data(as_text=True)
    assert '<h3 class="facet-level">地方</h3>' in html


def test_issue_prefix_in_the_query(ix, client):
    assert ids(ix, "刊名:职工快报 期号:2021年第12期") == ["b1"]
    assert "期号:期号" in client.get("/help/search").get_data(as_text=True)
