"""Passage permalinks: the same after re-indexing an unchanged file; after a change they lead to
the cited text where it went, else to its old place or the top, saying so."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from search_app import create_app
from search_app.indexing import ingest_into_index
from search_app.permalinks import NOTES
from search_app.store import close_index, prepare_analysis

PARAS = ["第一段：全面排查安全隐患，做到不留死角。", "第二段：落实整改责任，限期整改到位。",
         "第三段：加强督查检查，严肃追责问责。"]


def notice(paras: list[str]) -> str:
    body = "\n\n".join(paras)
    return (f"示例县应急管理局关于开展安全生产大检查的通知\n\n各乡镇，县直各部门：\n\n{body}\n\n"
            "示例县应急管理局\n\n2021年7月1日\n")


@pytest.fixture()
def site(tmp_path: Path):
    prepare_analysis()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "anquan.txt"
    path.write_text(notice(PARAS), encoding="utf-8")
    index = tmp_path / "index"
    assert ingest_into_index([corpus], index).failures == ()
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    yield app, corpus, index, path
    close_index(app)


def permalinks(app) -> dict[str, str]:
    """Passage text → the path of its permalink, as the API gives it."""
    data = app.test_client().get("/api/documents/anquan").get_json()
    return {p["text"]: urlsplit(p["citation"]["parts"]["url"]).path
            for s in data["sections"] for p in s["passages"]}


def reindex(app, corpus: Path, index: Path, **kw) -> None:
    close_index(app)  # the next request opens the new generation
    assert ingest_into_index([corpus], index, **kw).failures == ()


def follow(app, path: str) -> tuple[str, str]:
    """Where a permalink redirects (path?query#fragment), and the note on the page it leads to."""
    client = app.test_client()
    r = client.get(path)
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    notes = [n for n in NOTES.values() if n in page]
    return r.headers["Location"], notes[0] if notes else ""


def test_unchanged_file_keeps_every_permalink_across_a_rebuild(site) -> None:
    app, corpus, index, path = site
    before = permalinks(app)
    assert [t for t in PARAS if t in before] == PARAS
    reindex(app, corpus, index, rebuild=True)
    assert permalinks(app) == before
    for text, link in before.items():
        location, note = follow(app, link)
        pid = link.rsplit("/", 1)[1].split("-")[0]
        assert location == f"/documents/anquan?at={pid}#{pid}" and note == ""


def test_a_moved_passage_is_found_by_its_text(site) -> None:
    app, corpus, index, path = site
    old = permalinks(app)
    path.write_text(notice(["新增段：先行开展自查自纠。"] + PARAS), encoding="utf-8")
    reindex(app, corpus, index)
    new = permalinks(app)
    assert new[PARAS[1]] != old[PARAS[1]]  # its position moved on by one
    location, note = follow(app, old[PARAS[1]])
    pid = new[PARAS[1]].rsplit("/", 1)[1].split("-")[0]
    assert location == f"/documents/anquan?at={pid}&note=moved#{pid}"
    assert note == NOTES["moved"]


def test_a_changed_passage_leads_to_its_place_with_a_note(site) -> None:
    app, corpus, index, path = site
    old = permalinks(app)
    path.write_text(notice([PARAS[0], "第二段：落实整改责任，当月整改到位。", PARAS[2]]),
                    encoding="utf-8")
    reindex(app, corpus, index)
    pid = old[PARAS[1]].rsplit("/", 1)[1].split("-")[0]
    location, note = follow(app, old[PARAS[1]])
    assert location == f"/documents/anquan?at={pid}&note=changed#{pid}"
    assert note == NOTES["changed"]


def test_a_passage_gone_leads_to_the_top_with_a_note(site) -> None:
    app, corpus, index, path = site
    old = permalinks(app)
    path.write_text(notice([PARAS[0]]), encoding="utf-8")
    reindex(app, corpus, index)
    location, note = follow(app, old[PARAS[2]])
    assert location == "/documents/anquan?note=gone"
    assert note == NOTES["gone"]


@pytest.mark.parametrize("path, message", [
    ("/documents/anquan/passages/x1", "段落编号 x1 无效：应为 p12 或 p12-3fa9c1 的形式。"),
    ("/documents/nosuch/passages/p1", "未找到该文档（编号 nosuch），它可能已从索引中删除。"),
])
def test_bad_permalinks_are_404_in_chinese(site, path: str, message: str) -> None:
    app = site[0]
    r = app.test_client().get(path)
    assert r.status_code == 404 and message in r.get_data(as_text=True)
