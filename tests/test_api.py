"""The JSON API through Flask's test client, on a real index of the reference bulletin."""
from __future__ import annotations

import pytest

from web_support import (BULLETIN_ISSUE, BULLETIN_TITLE, ESCAPED_SCRIPT, SAMPLE_TITLE, SCRIPT,
                         SCRIPT_TITLE, find_doc_id, merge_marks)

RECIPIENTS = {
    "报": ["李小三同志", "王树芬同志", "崔茂虎同志", "全国推进产业工人队伍建设改革协调小组办公室",
          "全国总工会办公厅", "省委改革办"],
    "送": ["各州市", "省级产业系统公司", "各成员单位"],
}
SEARCH_KEYS = {"query", "total", "page", "per_page", "expansions", "facets", "results",
               "missing", "suggestion", "any_words"}
HIT_KEYS = {"doc_id", "title", "title_html", "doc_type", "kind", "date", "issuer", "doc_number",
            "issue", "sample", "score", "passages", "same_as", "attachment_label"}
PASSAGE_HIT_KEYS = {"id", "html", "text", "page", "section", "score", "ocr"}

def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return response.get_json()


def hit_titled(body: dict, title: str) -> dict:
    hits = [hit for hit in body["results"] if hit["title"] == title]
    assert len(hits) == 1, [hit["title"] for hit in body["results"]]
    return hits[0]


def test_search_returns_the_bulletin_with_highlighted_passages(client, bulletin_id,
                                                               passage_pages):
    body = get_json(client, "/api/search?q=产业工人")
    assert set(body) == SEARCH_KEYS
    assert body["query"] == "产业工人"
    assert (body["page"], body["per_page"]) == (1, 10)
    assert body["total"] >= 1
    hit = hit_titled(body, BULLETIN_TITLE)
    assert set(hit) == HIT_KEYS
    assert hit["doc_id"] == bulletin_id
    assert hit["doc_type"] == "bulletin"
    assert hit["date"] == "2021-06-22"
    assert hit["issue"] == BULLETIN_ISSUE
    assert hit["sample"] is False
    assert hit["passages"], "a hit must carry the passages that matched"
    for passage in hit["passages"]:
        assert set(passage) == PASSAGE_HIT_KEYS
        assert passage["page"] == passage_pages[passage["id"]]
        assert "<mark>产业工人</mark>" in merge_marks(passage["html"])
        assert "产业工人" in passage["text"]


def test_search_facets_count_types_and_years(client):
    body = get_json(client, "/api/search?q=技能大赛")
    titles = {hit["title"] for hit in body["results"]}
    assert BULLETIN_TITLE in titles
    assert SAMPLE_TITLE in titles
    assert body["facets"]["doc_type"]["bulletin"] == 1
    assert sum(body["facets"]["doc_type"].values()) == body["total"]


@pytest.mark.parametrize("doc_type", ["bulletin", "policy"])
def test_type_filter_keeps_only_that_type(client, doc_type):
    body = get_json(client, f"/api/search?q=技能大赛&type={doc_type}")
    assert body["results"], "each type has one document about 技能大赛"
    assert {hit["doc_type"] for hit in body["results"]} == {doc_type}


def test_filters_alone_browse_without_a_query(client, bulletin_id):
    body = get_json(client, "/api/search?type=bulletin")
    assert [hit["doc_id"] for hit in body["results"]] == [bulletin_id]


def test_year_filter_excludes_other_years(client):
    assert get_json(client, "/api/search?q=产业工人&year=2021")["total"] >= 1
    assert get_json(client, "/api/search?q=产业工人&year=2019")["total"] == 0


FILTERS = [
    ("kind=快报", BULLETIN_TITLE),
    ("issuer=云南省新时期产业工人队伍建设改革工作协调领导小组办公室", BULLETIN_TITLE),
    ("doc_number=示工发〔2021〕3号", SAMPLE_TITLE),
    ("title=大理州", BULLETIN_TITLE),
    ("from=2021-06-01&to=2021-06-30", BULLETIN_TITLE),
    ("from=2021-07-01", SCRIPT_TITLE),
    ("to=2021-03-31", SAMPLE_TITLE),
]


@pytest.mark.parametrize(("query", "title"), FILTERS)
def test_each_filter_parameter_reaches_the_index(client, query, title):
    body = get_json(client, f"/api/search?{query}")
    assert [hit["title"] for hit in body["results"]] == [title]


def test_sort_by_date_puts_the_newest_first(client):
    body = get_json(client, "/api/search?q=技能大赛&sort=date")
    dates = [hit["date"] for hit in body["results"]]
    assert dates == ["2021-06-22", "2021-03-01"]


def test_pages_partition_the_results(client):
    first = get_json(client, "/api/search?q=技能大赛&per_page=1&page=1")
    second = get_json(client, "/api/search?q=技能大赛&per_page=1&page=2")
    assert first["total"] == second["total"] == 2
    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["doc_id"] != second["results"][0]["doc_id"]


def test_json_bytes_are_raw_utf8(client):
    data = client.get("/api/search?q=产业工人").data
    assert "大理州高位推动".encode() in data
    assert b"\\u" not in data


def test_document_has_the_exact_metadata(client, bulletin_id, bulletin):
    from search_app.citation import document_json

    body = get_json(client, f"/api/documents/{bulletin_id}")
    # issue 12: citation objects (test_citation.py), links (test_links.py)
    want = document_json(bulletin, "http://localhost/")
    links = ("citations", "cited_by", "cited_by_total", "related")
    assert {k: v for k, v in body.items() if k not in links} == \
        {k: v for k, v in want.items() if k != "citations"}
    assert [{k: c[k] for k in ("title", "doc_number")} for c in body["citations"]] == \
        bulletin.to_dict()["citations"]
    assert body["doc_id"] == bulletin_id
    assert body["title"] == BULLETIN_TITLE
    assert body["doc_type"] == "bulletin"
    assert body["date"] == "2021-06-22"
    assert {k: body["bulletin"][k] for k in ("name", "year", "number", "total_number")} == {
        "name": "改革快报", "year": 2021, "number": 12, "total_number": 38}
    assert body["recipients"] == RECIPIENTS
    assert "大理州企业民主管理工作意见" in body["references"]
    assert body["sample"] is False


def test_document_sections_carry_every_passage(client, bulletin_id, passage_pages):
    body = get_json(client, f"/api/documents/{bulletin_id}")
    headings = [s["heading"] for s in body["sections"]]
    assert "一、在组织领导上做到“六个强化”" in headings
    passages = [p for s in body["sections"] for p in s["passages"]]
    assert [p["id"] for p in passages] == [f"p{n}" for n in range(1, 10)]
    assert {p["id"]: p["page"] for p in passages} == passage_pages
    assert {"id", "text", "page"} <= set(passages[0])
    assert any("出台《大理州企业民主管理工作意见》" in p["text"] for p in passages)


def test_markup_in_a_document_stays_text(client, app):
    body = get_json(client, "/api/search?q=安全生产大检查")
    hit = hit_titled(body, SCRIPT_TITLE)
    html = "".join(p["html"] for p in hit["passages"])
    assert ESCAPED_SCRIPT in html and SCRIPT not in html
    doc = get_json(client, f"/api/documents/{find_doc_id(app, hit['title'])}")
    texts = [p["text"] for s in doc["sections"] for p in s["passages"]]
    assert any(SCRIPT in text for text in texts), "the API gives the text as written"


def test_sample_documents_are_flagged(client):
    body = get_json(client, "/api/search?q=技能大赛&type=policy")
    assert hit_titled(body, SAMPLE_TITLE)["sample"] is True


BAD_PARAMETERS = [
    ("q=产业工人&page=abc", "page"),
    ("q=产业工人&page=0", "page"),
    ("q=产业工人&page=-3", "page"),
    ("q=产业工人&per_page=0", "per_page"),
    ("q=产业工人&per_page=100000", "per_page"),
    ("q=产业工人&year=abc", "year"),
    ("q=产业工人&sort=foo", "sort"),
    ("q=产业工人&type=foo", "type"),
    ("q=产业工人&from=2021-13-01", "from"),
    ("q=产业工人&to=yesterday", "to"),
    ("q=产业工人&from=2021-07-01&to=2021-06-01", "from"),
    ("q=产业工人&expand=maybe", "expand"),
    ("", "q"),
    ("q=", "q"),
    ("q=%20%20", "q"),
    ("q=" + "产" * 201, "q"),
]


@pytest.mark.parametrize(("query", "param"), BAD_PARAMETERS)
def test_bad_parameters_get_a_400_envelope_naming_the_parameter(client, query, param):
    body = get_json(client, f"/api/search?{query}", status=400)
    assert set(body) == {"ok", "error"}
    assert body["ok"] is False
    assert body["error"]["status"] == 400
    assert f"参数 {param} " in body["error"]["message"]
    assert "\n" not in body["error"]["message"]


def test_unbalanced_quote_is_a_400_not_a_500(client):
    body = get_json(client, '/api/search?q="产业工人', status=400)
    assert body["ok"] is False and body["error"]["status"] == 400
    assert body["error"]["message"].startswith("检索式有误")


def test_unknown_document_is_a_404_envelope(client):
    body = get_json(client, "/api/documents/no-such-document", status=404)
    assert body == {"ok": False, "error": {"status": 404, "message": "未找到文档：no-such-document"}}


def test_unknown_api_route_is_a_404_envelope(client):
    body = get_json(client, "/api/nothing-here", status=404)
    assert body["ok"] is False and body["error"]["status"] == 404


def test_missing_index_is_a_503_with_one_line(tmp_path):
    from search_app import create_app

    app = create_app({"TESTING": True, "INDEX_PATH": tmp_path / "no-index"})
    response = app.test_client().get("/api/search?q=产业工人")
    assert response.status_code == 503
    body = response.get_json()
    assert body["ok"] is False and body["error"]["status"] == 503
    assert "\n" not in body["error"]["message"]


def test_wrong_method_is_a_405_envelope(client):
    response = client.post("/api/search?q=产业工人")
    assert response.status_code == 405
    assert response.get_json() == {"ok": False,
                                   "error": {"status": 405, "message": "不支持该请求方法。"}}


def test_settings_are_declared_once_and_applied(index_dir):
    from search_app import create_app
    from search_app.config import SETTINGS
    from search_app.store import close_index

    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    assert all(s.help for s in SETTINGS)
    overrides = {"PER_PAGE": 1, "MAX_QUERY_LENGTH": 4}
    app = create_app({"TESTING": True, "INDEX_PATH": index_dir, **overrides})
    for setting in SETTINGS:
        if setting.name not in overrides and setting.name != "INDEX_PATH":
            assert app.config[setting.name] == setting.default
    client = app.test_client()
    assert client.get("/api/search?q=技能大赛").get_json()["per_page"] == 1
    assert client.get("/api/search?q=产业工人队伍").status_code == 400
    close_index(app)
