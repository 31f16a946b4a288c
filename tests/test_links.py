"""Issue 12: citations as links, 被引用, exact-title queries, related documents (相关文件).

One index holds the reference bulletin (../shared/seed, or its bundled text), the bundled demo
corpus, and a small collection written here: a measure (a 办法 issued with a 发文字号), two
issues of one bulletin citing it by 《title》 (one with its number, one also citing a title
the index lacks), a report whose title contains the measure's title, and an unrelated notice.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from browser_support import chromium, needs_chromium
from web_support import BULLETIN_TITLE, ServerThread, copy_seed, find_doc_id

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MEASURE = "示例市2021年产业工人技能培训补贴办法（试行）"
MISSING = "示例市职工书屋建设管理规定"

MEASURE_TEXT = f"""示例市人力资源和社会保障局文件

示人社发〔2021〕7号

{MEASURE}

第一条 为加快产业工人技能培训，提升职工技能水平，制定本办法。

第二条 企业组织在岗职工参加技能培训并取得职业技能等级证书的，按每人每证给予培训补贴。

第三条 本办法自印发之日起施行。

示例市人力资源和社会保障局

2021年3月1日
"""


def bulletin_text(number: int, total: int, date: str, title: str, body: str) -> str:
    return f"""示例市产业工人队伍建设改革领导小组办公室 产改快报

2021 年第 {number} 期（总第 {total} 期）

示例市产业工人队伍建设改革
领导小组办公室

{date}

{title}

{body}

报：市产改领导小组成员单位。
"""


ISSUE_1 = bulletin_text(
    1, 11, "2021 年 4 月 1 日", "示例市技能培训补贴政策落地见效",
    f"一、政策落地\n\n市人社局出台《{MEASURE}》，全市企业职工参加技能培训的积极性明显提高，"
    "一季度培训补贴惠及职工五千余人次。\n\n二、下一步工作\n\n继续扩大技能培训覆盖面，"
    "推动职业技能等级认定。")
ISSUE_2 = bulletin_text(
    2, 12, "2021 年 5 月 1 日", "示例市推进职工书屋和技能培训阵地建设",
    "一、培训阵地\n\n各县区依托职工书屋开展技能培训，培训补贴按"
    f"《{MEASURE}》（示人社发〔2021〕7号）执行，全年计划培训产业工人两万人次。\n\n"
    f"二、书屋建设\n\n对照《{MISSING}》，新建职工书屋30家，配备技能培训图书。")
REPORT = f"""{MEASURE}实施细则

市产改领导小组：

根据《示例市职工教育条例》，{MEASURE}施行以来，产业工人技能培训补贴发放顺利，技能培训补贴惠及企业职工。产业工人技能培训补贴办法执行中，技能培训补贴申领、技能培训补贴审核、技能培训补贴发放各环节运转正常，产业工人技能培训补贴办法（试行）得到企业好评。2021年，示例市按照{MEASURE}发放补贴，示例市各县区试行情况良好。

示例市2021年共发放产业工人技能培训补贴八百万元，补贴办法试行期内，示例市产业工人参加技能培训四万人次。建议将示例市产业工人技能培训补贴办法由试行转为正式施行。

示例市总工会

2021年6月1日
"""
# Cites the measure by a shortened title: its 发文字号 is what finds it.
FORWARD = """示例县人力资源和社会保障局关于转发技能培训补贴办法的通知

各乡镇人民政府：

现将《示例市产业工人技能培训补贴办法》（示人社发〔2021〕7号）转发给你们，请遵照执行。

示例县人力资源和社会保障局

2021年3月10日
"""
LAW = "\n".join(json.dumps({"id": f"edu|2020|{a}", "law": "示例市职工教育条例", "article": a,
                            "text": f"{a} {t}"}, ensure_ascii=False) for a, t in (
    ("第一条", "为了发展职工教育，提高职工素质，制定本条例。"),
    ("第二条", "本市行政区域内的企业职工教育，适用本条例。")))
OTHER = """示例市应急管理局关于开展安全生产大检查的通知

各县区应急管理局：

决定在全市开展安全生产大检查，重点检查危险化学品、消防和交通运输领域。

示例市应急管理局

2021年7月1日
"""


@pytest.fixture(scope="module")
def links_app(tmp_path_factory: pytest.TempPathFactory):
    from search_app import create_app
    from search_app.indexing import ingest_into_index
    from search_app.store import close_index, prepare_analysis

    prepare_analysis()
    folder = tmp_path_factory.mktemp("links") / "corpus"
    copy_seed(folder)  # the reference bulletin
    for f in CORPUS.iterdir():
        if f.name != "gaigekuaibao-2021-12.txt":  # the same bulletin as the seed
            shutil.copyfile(f, folder / f.name)
    for name, text in (("measure.txt", MEASURE_TEXT), ("issue-1.txt", ISSUE_1),
                       ("issue-2.txt", ISSUE_2), ("report.txt", REPORT), ("other.txt", OTHER),
                       ("law.jsonl", LAW), ("forward.txt", FORWARD)):
        (folder / name).write_text(text, encoding="utf-8")
    index = folder.parent / "index"
    summary = ingest_into_index([folder], index, jobs=1)
    assert summary.failures == (), summary.failure_lines()
    assert summary.indexed == 12
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    yield app
    close_index(app)


@pytest.fixture(scope="module")
def ids(links_app) -> dict[str, str]:
    """Short name → doc_id of every document in the index."""
    titles = {"seed": BULLETIN_TITLE, "measure": MEASURE, "issue1": "示例市技能培训补贴政策落地见效",
              "issue2": "示例市推进职工书屋和技能培训阵地建设",
              "report": f"{MEASURE}实施细则",
              "other": "示例市应急管理局关于开展安全生产大检查的通知",
              "forward": "示例县人力资源和社会保障局关于转发技能培训补贴办法的通知",
              "sample_kuaibao": "示例州以技能提升为抓手 推动产改工作走深走实",
              "sample_policy": "示例州总工会关于印发《示例州企业民主管理工作意见》的通知"}
    return {k: find_doc_id(links_app, t) for k, t in titles.items()}


def api(links_app, doc_id: str) -> dict:
    response = links_app.test_client().get(f"/api/documents/{doc_id}")
    assert response.status_code == 200
    return response.get_json()


def page(links_app, doc_id: str) -> str:
    response = links_app.test_client().get(f"/documents/{doc_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def search_ids(links_app, q: str) -> list[str]:
    response = links_app.test_client().get("/api/search", query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [hit["doc_id"] for hit in response.get_json()["results"]]


# -- citations resolved ----------------------------------------------------------------------

def test_citations_resolve_to_the_cited_document_or_null(links_app, ids):
    assert [(c["title"], c["doc_number"], c["doc_id"]) for c in api(links_app, ids["issue2"])
            ["citations"]] == [(MEASURE, "示人社发〔2021〕7号", ids["measure"]),
                               (MISSING, None, None)]
    assert [(c["title"], c["doc_id"]) for c in api(links_app, ids["issue1"])["citations"]] == \
        [(MEASURE, ids["measure"])]
    target = api(links_app, ids["issue1"])["citations"][0]["target"]
    assert target == {"doc_id": ids["measure"], "title": MEASURE, "doc_type": "policy",
                      "date": "2021-03-01", "issue": None, "sample": False}


def test_a_title_issued_by_a_notice_resolves_to_the_notice(links_app, ids):
    """《示例州企业民主管理工作意见》 is the work 关于印发《…》的通知 issues."""
    assert [(c["title"], c["doc_id"]) for c in api(links_app, ids["sample_kuaibao"])
            ["citations"]] == [("示例州企业民主管理工作意见", ids["sample_policy"])]


def test_a_shortened_title_resolves_by_its_number(links_app, ids):
    assert [(c["title"], c["doc_number"], c["doc_id"]) for c in api(links_app, ids["forward"])
            ["citations"]] == [("示例市产业工人技能培训补贴办法", "示人社发〔2021〕7号", ids["measure"])]


def test_a_law_indexed_article_by_article_resolves_to_its_first_article(links_app, ids):
    assert [(c["title"], c["doc_id"]) for c in api(links_app, ids["report"])["citations"]] == \
        [("示例市职工教育条例", "edu|2020|第一条")]
    text = page(links_app, ids["report"])
    assert ('根据<a class="cited" href="/documents/edu%7C2020%7C%E7%AC%AC%E4%B8%80%E6%9D%A1" '
            'title="示例市职工教育条例 第一条">《示例市职工教育条例》</a>') in text


def test_the_reference_bulletin_cites_four_documents_none_indexed(links_app, ids):
    body = api(links_app, ids["seed"])
    assert [(c["title"], c["doc_id"]) for c in body["citations"]] == [
        ("大理州新时期产业工人队伍建设改革联动工作机制（试行）", None),
        ("大理州新时期产业工人队伍建设改革责任书", None),
        ("大理州企业民主管理工作意见", None),
        ("大理州多维度工作体系促产改推深走实", None)]
    assert body["cited_by"] == [] and body["cited_by_total"] == 0
    text = page(links_app, ids["seed"])
    # Each title marked twice: in the metadata's 引用文件 and where the text cites it.
    assert text.count('<span class="unindexed" title="本库未收录该文件">未收录</span>') == 8
    assert "《大理州企业民主管理工作意见》<span class=\"unindexed\"" in text
    assert 'class="cited"' not in text


def test_cited_titles_are_links_on_the_page(links_app, ids):
    text = page(links_app, ids["issue2"])
    link = (f'<a class="cited" href="/documents/{ids["measure"]}" title="{MEASURE}">'
            f"《{MEASURE}》</a>")
    assert text.count(link) == 2  # the metadata row and the passage
    assert f"依托职工书屋开展技能培训，培训补贴按{link}（示人社发〔2021〕7号）执行" in text
    assert f'对照《{MISSING}》<span class="unindexed" title="本库未收录该文件">未收录</span>' in text


def test_links_survive_highlighting(links_app, ids):
    response = links_app.test_client().get(f"/documents/{ids['issue1']}",
                                           query_string={"q": "技能培训"})
    text = response.get_data(as_text=True).split('<div class="body">')[1]  # the passages
    link = re.search(r'<a class="cited" href="/documents/([^"]+)"[^>]*>《(.*?)》</a>', text)
    assert link and link.group(1) == ids["measure"]
    assert link.group(2).replace("<mark>", "").replace("</mark>", "") == MEASURE
    assert "<mark>技能培训</mark>" in link.group(2).replace("</mark><mark>", "")


# -- 被引用 ------------------------------------------------------------------------------------

def test_cited_by_lists_the_citing_passages_newest_first(links_app, ids):
    body = api(links_app, ids["measure"])
    assert body["cited_by_total"] == 3
    got = [(c["doc_id"], c["passage_id"], c["cited_as"]) for c in body["cited_by"]]
    issue2, issue1, forward = (links_app.extensions["gongwen_index"].get().get_document(ids[k])
                               for k in ("issue2", "issue1", "forward"))
    p2 = next(p for p in issue2.passages() if f"《{MEASURE}》" in p.text)
    p1 = next(p for p in issue1.passages() if f"《{MEASURE}》" in p.text)
    pf = next(p for p in forward.passages() if "示人社发〔2021〕7号" in p.text)
    short = "示例市产业工人技能培训补贴办法"  # the title as the forwarding notice shortens it
    assert got == [(ids["issue2"], p2.id, MEASURE), (ids["issue1"], p1.id, MEASURE),
                   (ids["forward"], pf.id, short)]
    assert body["cited_by"][0]["text"] == p2.text
    assert body["cited_by"][0]["issue"] == "《产改快报》2021年第2期（总第12期）"
    text = page(links_app, ids["measure"])
    assert "<h2>被引用（3 篇）</h2>" in text
    assert (f'<a class="citing" href="/documents/{ids["issue2"]}?at={p2.id}#{p2.id}">'
            "示例市推进职工书屋和技能培训阵地建设</a>") in text
    assert f'<blockquote class="citing-passage">{p1.text}</blockquote>' in text


def test_the_notice_issuing_a_work_is_cited_by_who_cites_the_work(links_app, ids):
    body = api(links_app, ids["sample_policy"])
    assert [(c["doc_id"], c["cited_as"]) for c in body["cited_by"]] == \
        [(ids["sample_kuaibao"], "示例州企业民主管理工作意见")]
    assert "推动企业落实《示例州企业民主管理工作意见》" in body["cited_by"][0]["text"]


def test_a_document_nobody_cites_says_so(links_app, ids):
    assert "本库中没有引用本文件的文档。" in page(links_app, ids["other"])


# -- exact titles ----------------------------------------------------------------------------

@pytest.mark.parametrize("q", [
    f"《{MEASURE}》", MEASURE, "示例市 2021年 产业工人技能培训补贴办法 （试行）",
    "示例市２０２１年产业工人技能培训补贴办法(试行)", f"《 {MEASURE} 》"])
def test_an_exact_title_ranks_its_document_first(links_app, ids, q):
    found = search_ids(links_app, q)
    assert found[0] == ids["measure"], found
    assert ids["report"] in found  # the rules that repeat the title still match


def test_without_the_exact_title_the_rules_would_lead(links_app, ids):
    """The check above is not vacuous: on words alone the 实施细则, which repeats the title,
    outscores the measure; the exact title's boost (1000) is what puts the measure first."""
    from index import SearchRequest

    hits = links_app.extensions["gongwen_index"].get().search(SearchRequest(q=MEASURE)).hits
    score = {h.doc_id: h.score for h in hits}
    assert score[ids["measure"]] > 1000 > score[ids["report"]] > score[ids["measure"]] - 1000


def test_an_issued_work_typed_in_book_marks_finds_the_notice(links_app, ids):
    assert search_ids(links_app, "《示例州企业民主管理工作意见》")[0] == ids["sample_policy"]
    assert search_ids(links_app, BULLETIN_TITLE)[0] == ids["seed"]


# -- 相关文件 ----------------------------------------------------------------------------------

def reasons(links_app, doc_id: str) -> dict[str, list[str]]:
    return {r["doc_id"]: r["reasons"] for r in api(links_app, doc_id)["related"]}


def test_related_documents_say_why(links_app, ids):
    issue1 = reasons(links_app, ids["issue1"])
    assert issue1[ids["measure"]][0] == "被本文件引用"
    assert issue1[ids["issue2"]][:2] == ["同一刊物下一期", f"同样引用《{MEASURE}》"]
    issue2 = reasons(links_app, ids["issue2"])
    assert issue2[ids["measure"]][0] == "被本文件引用"
    assert issue2[ids["issue1"]][:2] == ["同一刊物上一期", f"同样引用《{MEASURE}》"]
    measure = reasons(links_app, ids["measure"])
    assert measure[ids["issue2"]][0] == measure[ids["issue1"]][0] == "引用本文件"
    assert list(measure)[:2] == [ids["issue2"], ids["issue1"]]


def test_topic_reasons_name_words_both_documents_hold(links_app, ids):
    index = links_app.extensions["gongwen_index"].get()
    seen = 0
    for doc_id in ids.values():
        doc = index.get_document(doc_id)
        for r in index.document_links(doc).related:
            topic = [x for x in r.reasons if x.startswith("主题相近：")]
            if topic:
                seen += 1
                other = index.get_document(r.doc.doc_id)
                for word in topic[0].removeprefix("主题相近：").split("、"):
                    assert word in doc.title + doc.text and word in other.title + other.text
    assert seen >= 3
    report = reasons(links_app, ids["report"])
    assert any(r.startswith("主题相近：") and "补贴" in r for r in report[ids["measure"]])
    assert ids["other"] not in reasons(links_app, ids["measure"])


def test_related_documents_on_the_page(links_app, ids):
    text = page(links_app, ids["issue2"])
    assert "<h2>相关文件</h2>" in text
    assert (f'<a class="related-doc" href="/documents/{ids["issue1"]}">示例市技能培训补贴政策落地见效</a>'
            in text)
    assert f'<p class="reason">同一刊物上一期；同样引用《{MEASURE}》' in text


# -- in a browser ----------------------------------------------------------------------------

@needs_chromium
def test_clicking_a_cited_title_opens_the_cited_document(links_app, ids, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chromium(tmp_path / "profile", (390, 900))
    try:
        with ServerThread(links_app) as server:
            driver.get(f"{server.url}/documents/{ids['issue1']}")
            link = driver.find_element(By.CSS_SELECTOR, ".passage a.cited")
            assert link.text == f"《{MEASURE}》"
            link.click()
            WebDriverWait(driver, 30).until(ec.text_to_be_present_in_element(
                (By.CSS_SELECTOR, "h1.doc-title"), MEASURE))
            assert driver.current_url == f"{server.url}/documents/{ids['measure']}"
            citing = driver.find_elements(By.CSS_SELECTOR, ".cited-by-list a.citing")
            assert [a.text for a in citing] == ["示例市推进职工书屋和技能培训阵地建设",
                                                "示例市技能培训补贴政策落地见效",
                                                "示例县人力资源和社会保障局关于转发技能培训补贴办法的通知"]
    finally:
        driver.quit()
