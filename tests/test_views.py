"""The Chinese HTML pages through Flask's test client, on a real index."""
from __future__ import annotations

import html
import re

from web_support import (BULLETIN_ISSUE, BULLETIN_TITLE, ESCAPED_SCRIPT, SAMPLE_TITLE, SCRIPT,
                         SCRIPT_TITLE, find_doc_id, merge_marks)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return response.get_data(as_text=True)


def hit_block(text: str, doc_id: str) -> str:
    """The <li> of one hit on the search page."""
    match = re.search(rf'<li class="hit" data-doc-id="{re.escape(doc_id)}">(.*?)</li>', text, re.S)
    assert match, f"no hit for {doc_id}"
    return match.group(1)


def test_start_page_has_the_search_box(client):
    text = page(client, "/")
    assert '<input type="search" name="q"' in text
    assert "共找到" not in text


def shown_passages(block: str, doc_id: str) -> list[tuple[str, str, str]]:
    """(anchor, passage html, page label) of each passage shown in a hit."""
    found = []
    for quote in re.findall(r'<blockquote class="passage">(.*?)</blockquote>', block, re.S):
        anchor = re.search(rf'href="/documents/{re.escape(doc_id)}\?q=[^"#]+#(p\d+)"', quote)
        page_label = re.search(r'<span class="page">(.*?)</span>', quote)
        assert anchor and page_label, quote
        found.append((anchor.group(1), quote, page_label.group(1)))
    return found


def test_search_page_shows_highlighted_passage_issue_and_page(client, bulletin_id, passage_pages):
    text = page(client, "/search?q=产业工人")
    assert re.search(r"共找到 <strong>\d+</strong> 篇文档", text)
    block = hit_block(text, bulletin_id)
    assert BULLETIN_TITLE in html.unescape(re.sub(r"<[^>]+>", "", block))
    assert "工作简报" in block
    assert BULLETIN_ISSUE in block
    assert "2021年6月22日" in block
    passages = shown_passages(block, bulletin_id)
    assert passages, "a hit shows the passages that matched"
    for anchor, quote, page_label in passages:
        assert "<mark>产业工人</mark>" in merge_marks(quote)
        assert page_label == f"第{passage_pages[anchor]}页"


def test_search_page_finds_the_exact_passage(client, bulletin, passage_pages):
    block = hit_block(page(client, "/search?q=民主管理"), bulletin.doc_id)
    passages = shown_passages(block, bulletin.doc_id)
    [wanted] = [p.id for p in bulletin.passages() if "出台《大理州企业民主管理工作意见》" in p.text]
    assert [(anchor, label) for anchor, _, label in passages] == [
        (wanted, f"第{passage_pages[wanted]}页")]
    assert "出台《大理州企业<mark>民主管理</mark>工作意见》" in merge_marks(passages[0][1])


def test_search_page_offers_facets_and_sort(client):
    text = page(client, "/search?q=技能大赛")
    assert 'href="/search?q=%E6%8A%80%E8%83%BD%E5%A4%A7%E8%B5%9B&amp;type=bulletin"' in text
    assert "type=policy" in text and "year=2021" in text
    assert "sort=date" in text
    filtered = page(client, "/search?q=技能大赛&type=bulletin")
    assert "共找到 <strong>1</strong> 篇文档" in filtered
    results = re.search(r'<section class="results">.*?</section>', filtered, re.S).group(0)
    assert "工作简报" in results and "政策文件" not in results


def test_pagination_links_walk_the_results(client):
    first = page(client, "/search?q=技能大赛&per_page=1")
    assert "共找到 <strong>2</strong> 篇文档（第 1 页）" in first
    next_link = re.search(r'<a rel="next" href="([^"]+)">下一页</a>', first)
    assert next_link and "page=2" in next_link.group(1) and "per_page=1" in next_link.group(1)
    second = page(client, html.unescape(next_link.group(1)))
    assert "（第 2 页）" in second and 'rel="prev"' in second and 'rel="next"' not in second
    ids = [re.findall(r'data-doc-id="([^"]+)"', text) for text in (first, second)]
    assert len(ids[0]) == len(ids[1]) == 1 and ids[0] != ids[1]


def test_no_results_says_so_in_chinese(client):
    text = page(client, "/search?q=区块链")
    assert "共找到 <strong>0</strong> 篇文档" in text
    assert "没有找到与“区块链”相关的文档" in text


def test_bad_query_is_a_400_with_a_chinese_message(client):
    text = page(client, '/search?q="产业工人', status=400)
    assert "检索式有误" in text
    assert 'value="&#34;产业工人"' in text, "the query stays in the box for correction"


def test_bad_parameter_is_a_400_naming_it(client):
    text = page(client, "/search?q=产业工人&page=abc", status=400)
    assert "参数 page 无效" in text


def test_document_page_has_metadata_and_every_anchor(client, bulletin_id, bulletin,
                                                    passage_pages):
    text = page(client, f"/documents/{bulletin_id}")
    assert f"<h1 class=\"doc-title\">{BULLETIN_TITLE}</h1>" in text
    rows = dict(re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', text, re.S))
    assert rows["类型"].startswith("工作简报")
    assert rows["期号"] == BULLETIN_ISSUE
    assert rows["日期"] == "2021年6月22日"
    assert rows["报"] == ("李小三同志，王树芬同志，崔茂虎同志，全国推进产业工人队伍建设改革协调小组办公室，"
                         "全国总工会办公厅，省委改革办")
    assert rows["送"] == "各州市，省级产业系统公司，各成员单位"
    assert "<li>《大理州企业民主管理工作意见》</li>" in rows["引用文件"]
    assert rows["编印单位"] == "云南省新时期产业工人队伍建设改革工作协调领导小组办公室"
    assert re.findall(r'<div class="passage" id="(p\d+)">', text) == list(passage_pages)
    pages = re.findall(r'<span class="page">第(\d+)页</span>', text)
    assert [int(n) for n in pages] == list(passage_pages.values())
    assert "一、在组织领导上做到“六个强化”" in text
    # issue 12: one GB/T 7714 citation box, a copy button (not a printed line) per passage
    api = client.get(f"/api/documents/{bulletin_id}").get_json()
    assert text.count('class="citation-box"') == 1
    assert f'<p class="citation-text" id="doc-citation">{html.escape(api["citation"]["text"])}</p>' in text
    copies = re.findall(r'<button type="button" class="copy" data-copy="([^"]*)">复制引文</button>', text)
    assert [html.unescape(c) for c in copies] == [api["citation"]["text"]] + [
        p["citation"]["text"] for s in api["sections"] for p in s["passages"]]
    assert "引用：" not in text
    assert "示例文档" not in text


def test_document_page_highlights_the_query(client, bulletin_id):
    text = page(client, f"/documents/{bulletin_id}?q=民主管理")
    marked = merge_marks(text)
    assert "<mark>民主管理</mark>" in marked
    assert "返回“民主管理”的检索结果" in text


def test_unknown_document_is_a_chinese_404(client):
    text = page(client, "/documents/no-such-document", status=404)
    assert "未找到" in text and "no-such-document" in text


def test_sample_documents_carry_the_badge(client, app):
    search = page(client, "/search?q=技能大赛")
    doc_id = find_doc_id(app, SAMPLE_TITLE)
    assert "示例文档，请勿引用" in hit_block(search, doc_id)
    assert "示例文档，请勿引用" in page(client, f"/documents/{doc_id}")


def test_markup_in_a_document_is_shown_as_text(client, app):
    search = page(client, "/search?q=安全生产大检查")
    doc_id = find_doc_id(app, SCRIPT_TITLE)
    assert ESCAPED_SCRIPT in hit_block(search, doc_id)
    assert SCRIPT not in search
    for url in (f"/documents/{doc_id}", f"/documents/{doc_id}?q=安全生产大检查"):
        document = page(client, url)
        assert ESCAPED_SCRIPT in document and SCRIPT not in document


def test_query_is_escaped_where_it_is_echoed(client):
    text = page(client, "/search?q=<b>产业工人</b>")
    assert "<b>产业工人</b>" not in text
    assert "&lt;b&gt;产业工人&lt;/b&gt;" in text


def test_missing_index_is_a_chinese_503_page(tmp_path):
    from search_app import create_app

    app = create_app({"TESTING": True, "INDEX_PATH": tmp_path / "no-index"})
    response = app.test_client().get("/search?q=产业工人")
    assert response.status_code == 503
    assert "服务暂不可用" in response.get_data(as_text=True)
