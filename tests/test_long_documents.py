"""A multi-MB document that matches a query, and ids with URL-unsafe characters, in the web app."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from search_app import create_app
from search_app.indexing import ingest_into_index
from search_app.store import close_index, prepare_analysis
from search_app.views import PART_PASSAGES

PARAGRAPHS = 20_000  # about 3.7 MB of text


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    inbox = tmp_path_factory.mktemp("inbox")
    lines = [f"第{i}段：各单位要推进厂务公开，落实职工代表大会制度，加强企业民主管理工作。"
             for i in range(PARAGRAPHS)]
    lines[15_000] = "白州工匠学院的技能培训经验值得推广。"
    (inbox / "long.txt").write_text("关于长文档的测试通知\n" + "\n".join(lines), encoding="utf-8")
    records = [{"id": "law/2020/第一条", "title": "某法 第一条", "text": "为了规范职工培训，制定本法。"},
               {"id": "a?b#c%d", "title": "怪编号", "text": "职工培训的另一条规定。"}]
    (inbox / "ids.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    index = tmp_path_factory.mktemp("idx")
    prepare_analysis()
    assert ingest_into_index([inbox], index).ok
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    yield app.test_client()
    close_index(app)


def links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/documents/[^"]+)"', html)]


def test_ids_with_slashes_and_url_unsafe_characters_link_to_their_documents(client) -> None:
    page = client.get("/search", query_string={"q": "职工培训"}).get_data(as_text=True)
    titles = []
    for href in {h.split("#")[0] for h in links(page)}:
        response = client.get(href)
        assert response.status_code == 200, href
        titles.append(re.search(r'<h1 class="doc-title">(.*?)</h1>',
                                response.get_data(as_text=True)).group(1))
    assert set(titles) == {"关于长文档的测试通知", "怪编号", "某法 第一条"}
    api = client.get("/api/documents/law/2020/第一条").get_json()
    assert api["title"] == "某法 第一条"


def test_a_long_document_page_is_shown_in_parts_with_a_note(client) -> None:
    page = client.get("/search", query_string={"q": "白州工匠"}).get_data(as_text=True)
    href = next(h for h in links(page) if "at=" in h)
    response = client.get(href)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    parts = -(-PARAGRAPHS // PART_PASSAGES)
    assert f"全文较长（{PARAGRAPHS} 段），分 {parts} 页显示；本页为第 51 页（第 15001–15300 段）。" in html
    assert "<mark>白州工匠</mark>学院" in html
    assert html.count('class="passage"') == PART_PASSAGES
    assert len(html.encode()) < 400_000  # the whole document is 3.7 MB
    first = client.get(href.split("?")[0]).get_data(as_text=True)
    assert "本页为第 1 页（第 1–300 段）" in first


def test_the_passage_deep_in_a_long_document_is_the_one_shown(client) -> None:
    hits = client.get("/api/search", query_string={"q": "白州工匠"}).get_json()["results"]
    assert [h["doc_id"] for h in hits] == ["long"]
    assert hits[0]["passages"][0]["text"] == "白州工匠学院的技能培训经验值得推广。"
