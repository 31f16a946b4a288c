"""Bulletin series and their issues (issue 12): /series, /series/<id>, prev/next, home page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive_support import ISSUES, NAME, OFFICE, OTHER_OFFICE, build_index, write_collection


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    from search_app import create_app
    from search_app.store import close_index

    root = tmp_path_factory.mktemp("archive")
    index = build_index(write_collection(root / "corpus"), root / "index", len(ISSUES))
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    yield app
    close_index(app)


@pytest.fixture()
def client(app):
    return app.test_client()


def _series_id(client, office: str) -> str:
    (found,) = [s for s in client.get("/api/series").get_json()["series"] if s["office"] == office]
    return found["series_id"]


def _text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_supplement_is_read_from_the_masthead(tmp_path: Path) -> None:
    from archive_support import bulletin_text
    from ingest.pipeline import parse_file

    (supplement,) = [i for i in ISSUES if i.supplement]
    path = tmp_path / "s.txt"
    path.write_text(bulletin_text(supplement), encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.bulletin is not None and doc.bulletin.name == NAME
    assert (doc.bulletin.year, doc.bulletin.number, doc.bulletin.total_number) == (2021, 1, 25)
    assert doc.bulletin.office == OFFICE and doc.title == supplement.title
    assert doc.extra == {"supplement": "增刊"}


def test_series_api_lists_two_series_of_one_name(client) -> None:
    body = client.get("/api/series").get_json()
    assert [(s["name"], s["office"], s["issues"]) for s in body["series"]] == [
        (NAME, OFFICE, 6), (NAME, OTHER_OFFICE, 1)]  # the one with the latest issue first
    mine = body["series"][0]
    assert mine["latest"] == {"doc_id": "k2022-03", "year": 2022, "number": 3, "total_number": 28,
                              "date": "2022-05-10", "title": "劳模工匠进企业宣讲活动综述",
                              "label": "2022年第3期（总第28期）", "sample": False,
                              "supplement": False}


def test_series_api_years_gaps_and_supplements(client) -> None:
    body = client.get(f"/api/series/{_series_id(client, OFFICE)}").get_json()
    years = [(y["year"], [i["number"] for i in y["issues"]], y["missing"]) for y in body["years"]]
    assert years == [(2022, [1, 3], [2]), (2021, [1, 2, 4], [3])]
    assert [(s["doc_id"], s["label"]) for s in body["supplements"]] == [
        ("k2021-s1", "增刊2021年第1期（总第25期）")]


def test_series_page(client) -> None:
    sid = _series_id(client, OFFICE)
    page = client.get(f"/series/{sid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"<h1>《{NAME}》</h1>" in html and f"编印单位：{OFFICE}" in html
    y2021 = html[html.index('id="year-2021"'):html.index('id="supplements"')]
    y2022 = html[html.index('id="year-2022"'):html.index('id="year-2021"')]
    assert "缺第3期" in y2021 and "缺第2期" not in y2021
    assert "缺第2期" in y2022 and "缺第3期" not in y2022
    rows = re.findall(r'<li class="issue-row[^"]*" data-doc-id="([^"]+)">(.*?)</li>', y2021, re.S)
    assert [d for d, _ in rows] == ["k2021-04", "k2021-02", "k2021-01"]  # newest first
    assert _text(rows[0][1]) == "2021年第4期（总第24期） 2021年6月30日 产业工人技能大赛决赛举行"
    supplements = html[html.index('id="supplements"'):]
    assert re.findall(r'data-doc-id="([^"]+)"', supplements) == ["k2021-s1"]
    assert "增刊2021年第1期（总第25期）" in supplements
    assert "k2021-s1" not in html[:html.index('id="supplements"')]


@pytest.mark.parametrize("missing, labels", [
    ([3], ["缺第3期"]), ([1, 2, 3, 5], ["缺第1–3期", "缺第5期"]), ([], []),
    ([7, 9, 10], ["缺第7期", "缺第9–10期"]),
])
def test_gap_labels(missing, labels) -> None:
    from search_app.archive import gap_labels

    assert gap_labels(missing) == labels


def test_series_list_page_and_unknown_series(client) -> None:
    html = client.get("/series").get_data(as_text=True)
    assert "共 2 种刊物" in html
    for office in (OFFICE, OTHER_OFFICE):
        assert f'href="/series/{_series_id(client, office)}"' in html
    missing = client.get("/series/000000000000")
    assert missing.status_code == 404 and "未找到该刊物（编号 000000000000）" in missing.get_data(as_text=True)
    api = client.get("/api/series/000000000000")
    assert api.status_code == 404
    assert api.get_json() == {"ok": False, "error": {"status": 404,
                                                     "message": "未找到刊物：000000000000"}}


def _nav(client, doc_id: str) -> str:
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    (nav,) = re.findall(r'<nav class="issue-nav".*?</nav>', html, re.S)
    return nav


@pytest.mark.parametrize("doc_id, previous, next_", [
    ("k2021-01", None, ("k2021-02", "2021年第2期（总第22期）")),
    ("k2021-04", ("k2021-02", "2021年第2期（总第22期）"), ("k2022-01", "2022年第1期（总第26期）")),
    ("k2022-03", ("k2022-01", "2022年第1期（总第26期）"), None),
    ("k2021-s1", ("k2021-04", "2021年第4期（总第24期）"), ("k2022-01", "2022年第1期（总第26期）")),
    ("other-2021-07", None, None),
])
def test_previous_and_next_issue(client, doc_id, previous, next_) -> None:
    nav = _nav(client, doc_id)
    if previous is None:
        assert "已是本库最早一期" in nav and 'rel="prev"' not in nav
    else:
        assert f'rel="prev" href="/documents/{previous[0]}">← 上一期：{previous[1]}</a>' in nav
    if next_ is None:
        assert "已是本库最新一期" in nav and 'rel="next"' not in nav
    else:
        assert f'rel="next" href="/documents/{next_[0]}">下一期：{next_[1]} →</a>' in nav
    office = OTHER_OFFICE if doc_id.startswith("other") else OFFICE
    assert f'href="/series/{_series_id(client, office)}">《{NAME}》各期</a>' in nav


def test_home_page_lists_series_latest_issues_and_the_catalogue(client) -> None:
    html = client.get("/").get_data(as_text=True)
    home = html[html.index('class="home-archive"'):]
    series = home[home.index('class="home-series"'):home.index('class="home-latest"')]
    assert re.findall(r'href="/series/(\w+)"', series) == [
        _series_id(client, OFFICE), _series_id(client, OTHER_OFFICE)]
    latest = home[home.index('class="home-latest"'):home.index('class="home-measures"')]
    assert re.findall(r'data-doc-id="([^"]+)"', latest) == [
        "k2022-03", "k2022-01", "other-2021-07", "k2021-s1", "k2021-04", "k2021-02", "k2021-01"]
    assert 'href="/measures"' in home
    for label, href in (("首页", "/"), ("刊物", "/series"), ("政策措施", "/measures")):
        assert f'<a href="{href}">{label}</a>' in html  # the nav of every page


def test_a_search_page_has_no_home_lists(client) -> None:
    html = client.get("/?q=技能").get_data(as_text=True)
    assert 'class="home-archive"' not in html and "k2021-04" in html


def test_home_page_without_an_index_still_shows_the_search_box(tmp_path) -> None:
    from search_app import create_app

    app = create_app({"TESTING": True, "INDEX_PATH": tmp_path / "none"})
    page = app.test_client().get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="q"' in html
    assert "索引中还没有工作简报" in html
    assert app.test_client().get("/series").status_code == 503


def test_a_new_issue_shows_once_it_is_indexed(tmp_path) -> None:
    from archive_support import Issue, bulletin_text
    from search_app import create_app
    from search_app.indexing import ingest_into_index
    from search_app.store import close_index

    corpus = write_collection(tmp_path / "corpus")
    index = build_index(corpus, tmp_path / "index", len(ISSUES))
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    try:
        client = app.test_client()
        sid = _series_id(client, OFFICE)
        before = client.get(f"/api/series/{sid}").get_json()
        assert before["years"][1]["missing"] == [3]
        third = Issue("k2021-03", 2021, 3, 23, "2021 年 5 月 6 日", "职工书屋建设现场会召开")
        (corpus / "k2021-03.txt").write_text(bulletin_text(third), encoding="utf-8")
        assert ingest_into_index([corpus], index).indexed == 1
        after = client.get(f"/api/series/{sid}").get_json()
        assert [i["number"] for i in after["years"][1]["issues"]] == [1, 2, 3, 4]
        assert after["years"][1]["missing"] == []
        assert 'rel="next" href="/documents/k2021-03"' in _nav(client, "k2021-02")
    finally:
        close_index(app)
