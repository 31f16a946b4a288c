"""The original files: kept by SHA-256 in the index folder, served at /files/<sha256>/<name>,
refused for any other path, removed once no document names them."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from render import render_bulletin_pdf
from search_app import create_app
from search_app.indexing import ingest_into_index
from search_app.store import close_index, prepare_analysis

NOTICE = """示例县应急管理局关于开展安全生产大检查的通知

各乡镇，县直各部门：

第一段：全面排查隐患。

第二段：落实整改责任。

示例县应急管理局

2021年7月1日
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept(index: Path) -> set[str]:
    return {p.name for p in (index / "files").glob("*/*")}


@pytest.fixture()
def site(tmp_path: Path):
    prepare_analysis()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf = render_bulletin_pdf(corpus / "gaigekuaibao-2021-12.pdf").path
    notice = corpus / "安全检查通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    index = tmp_path / "index"
    assert ingest_into_index([corpus], index).failures == ()
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    yield app, corpus, index, pdf, notice
    close_index(app)


def test_every_ingested_file_is_kept_under_its_hash(site) -> None:
    app, corpus, index, pdf, notice = site
    assert kept(index) == {sha(pdf), sha(notice)}
    assert (index / "files" / sha(pdf)[:2] / sha(pdf)).read_bytes() == pdf.read_bytes()


def test_pdf_is_served_inline_with_its_bytes_and_type(site) -> None:
    app, corpus, index, pdf, notice = site
    r = app.test_client().get(f"/files/{sha(pdf)}/gaigekuaibao-2021-12.pdf")
    assert r.status_code == 200
    assert r.data == pdf.read_bytes()
    assert r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"] == 'inline; filename="gaigekuaibao-2021-12.pdf"'


def test_chinese_name_is_an_rfc5987_download(site) -> None:
    app, corpus, index, pdf, notice = site
    r = app.test_client().get(f"/files/{sha(notice)}/{quote(notice.name)}")
    assert r.status_code == 200 and r.data == notice.read_bytes()
    assert r.mimetype == "text/plain"
    assert r.headers["Content-Disposition"] == (
        f"attachment; filename=\"{sha(notice)[:12]}.txt\"; filename*=UTF-8''{quote(notice.name)}")
    assert r.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("path", [
    "/files/{zero}/x.pdf",  # a hash the store does not hold
    "/files/../gongwen-index.json",
    "/files/..%2Fgongwen-index.json/x.pdf",
    "/files/%2e%2e/%2e%2e/etc/passwd",
    "/files/gongwen-index.json/x.json",
    "/files/{short}/x.pdf",  # the store's own folder name, not a hash
    "/files/{pdf}/../../gongwen-index.json",
])
def test_anything_but_a_kept_hash_is_a_404_in_chinese(site, path: str) -> None:
    app, corpus, index, pdf, notice = site
    url = path.format(zero="0" * 64, short=sha(pdf)[:2], pdf=sha(pdf))
    r = app.test_client().get(url)
    assert r.status_code == 404
    text = r.get_data(as_text=True)
    assert "gongwen-index" not in text.replace(url, "") and "schema_version" not in text
    if url.startswith("/files/0000"):
        assert "未找到该原始文件：链接中的文件摘要（SHA-256）不在本索引中，文件可能已被替换或删除。" in text
    else:
        assert "未找到" in text


def test_document_page_and_api_link_the_original(site) -> None:
    app, corpus, index, pdf, notice = site
    client = app.test_client()
    page = client.get("/documents/gaigekuaibao-2021-12").get_data(as_text=True)
    file_url = f"http://localhost/files/{sha(pdf)}/gaigekuaibao-2021-12.pdf"
    assert f'<a class="original" href="{file_url}">gaigekuaibao-2021-12.pdf</a>（PDF）' in page
    at_pages = re.findall(r'<a class="original-page" href="([^"]+)">原件第(\d+)页</a>', page)
    assert at_pages and all(u == f"{file_url}#page={n}" for u, n in at_pages)
    assert {n for _, n in at_pages} >= {"1", "2"}
    data = client.get("/api/documents/gaigekuaibao-2021-12").get_json()
    assert data["files"] == [{"name": "gaigekuaibao-2021-12.pdf", "format": "pdf", "url": file_url}]


def test_replaced_and_pruned_files_are_removed(site) -> None:
    app, corpus, index, pdf, notice = site
    old_notice, old_pdf = sha(notice), sha(pdf)
    notice.write_text(NOTICE.replace("第二段", "第二段（修订）"), encoding="utf-8")
    assert ingest_into_index([corpus], index).failures == ()
    assert kept(index) == {old_pdf, sha(notice)}
    client = app.test_client()
    assert client.get(f"/files/{old_notice}/{quote(notice.name)}").status_code == 404
    assert client.get(f"/files/{sha(notice)}/{quote(notice.name)}").data == notice.read_bytes()
    pdf.unlink()
    assert ingest_into_index([corpus], index).failures == ()
    assert kept(index) == {old_pdf, sha(notice)}  # its document is kept (missing): so is the file
    summary = ingest_into_index([corpus], index, prune=True)
    assert summary.failures == () and summary.report.removed == (str(pdf),)
    assert kept(index) == {sha(notice)}
    assert client.get(f"/files/{old_pdf}/gaigekuaibao-2021-12.pdf").status_code == 404


def test_a_killed_copy_is_cleared_by_the_next_batch(site) -> None:
    app, corpus, index, pdf, notice = site
    leftover = index / "files" / ".4242.deadbeef.tmp"  # what a batch killed mid-copy leaves
    leftover.write_bytes(b"half a file")
    assert ingest_into_index([corpus], index).failures == ()
    assert not leftover.exists() and kept(index) == {sha(pdf), sha(notice)}


def test_a_document_from_two_files_keeps_and_links_both(tmp_path: Path) -> None:
    from render import POLICY_PARAS, render_docx, render_pdf

    prepare_analysis()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    docx = render_docx(corpus / "意见.docx", [(p.text, None) for p in POLICY_PARAS])
    pdf = render_pdf(corpus / "意见.pdf", POLICY_PARAS).path
    index = tmp_path / "index"
    assert ingest_into_index([corpus], index).failures == ()
    assert kept(index) == {sha(docx), sha(pdf)}
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    try:
        client = app.test_client()
        data = client.get(f"/api/documents/{quote('意见')}").get_json()
        assert [(f["name"], f["format"]) for f in data["files"]] == [("意见.docx", "docx"),
                                                                     ("意见.pdf", "pdf")]
        for f in data["files"]:
            r = client.get(f["url"].replace("http://localhost", ""))
            assert r.status_code == 200
            assert r.data == (corpus / f["name"]).read_bytes()
    finally:
        close_index(app)
