"""GB/T 7714-2015 citations, compared in full: a bulletin, a 公文, a PDF passage, an HTML passage."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest import Document, parse_file
from render import reference_text, render_bulletin_pdf, render_policy_pdf
from search_app.citation import cite
from search_app.permalinks import digest

BASE = "https://archive.example.cn/"
ON = dt.date(2026, 12, 6)
OFFICE = "云南省新时期产业工人队伍建设改革工作协调领导小组办公室"
TITLE = "大理州高位推动，系统谋划 以典型引领全面推进改革"

HTML_NOTICE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>示例市人民政府办公室关于做好防汛工作的通知</title></head><body>
<h1>示例市人民政府办公室关于做好防汛工作的通知</h1>
<p>示政办发〔2022〕7号</p>
<p>各县区人民政府，市直各部门：</p>
<p>入汛以来降雨偏多，各地要落实防汛责任，加强隐患排查。</p>
<p>示例市人民政府办公室</p>
<p>2022年5月10日</p>
</body></html>
"""


def one(path: Path) -> Document:
    (doc,) = parse_file(path)
    return doc


def key(doc: Document, pid: str) -> str:
    return f"{pid}-{digest(next(p.text for p in doc.passages() if p.id == pid))}"


def test_bulletin_is_an_article_in_a_serial(tmp_path: Path) -> None:
    path = tmp_path / "gaigekuaibao-2021-12.txt"
    path.write_text(reference_text(), encoding="utf-8")
    doc = one(path)
    c = cite(doc, BASE, accessed=ON)
    assert c.text == (f"{OFFICE}. {TITLE}[J/OL]. 改革快报, 2021(12)[2026-12-06]. "
                      "https://archive.example.cn/documents/gaigekuaibao-2021-12.")
    assert (c.type_code, c.serial, c.year, c.issue, c.page, c.passage_id) == (
        "J/OL", "改革快报", 2021, 12, None, None)
    # a text source has no pages: a passage differs from the document only by its permalink
    c_passage = cite(doc, BASE, next(doc.passages()), ON)
    assert c_passage.text == (f"{OFFICE}. {TITLE}[J/OL]. 改革快报, 2021(12)[2026-12-06]. "
                      f"https://archive.example.cn/documents/gaigekuaibao-2021-12/passages/"
                      f"{key(doc, 'p1')}.")
    assert c_passage.file_url == (f"https://archive.example.cn/files/{doc.source.sha256}/"
                                  "gaigekuaibao-2021-12.txt")


def test_gongwen_takes_z_with_its_doc_number(tmp_path: Path) -> None:
    pdf = render_policy_pdf(tmp_path / "minzhu-guanli.pdf")
    doc = one(pdf.path)
    assert (doc.title, doc.doc_number) == ("示例州总工会关于加强企业民主管理工作的意见",
                                           "示工发〔2020〕15号")
    assert cite(doc, BASE, accessed=ON).text == (
        "示例州总工会. 示例州总工会关于加强企业民主管理工作的意见: 示工发〔2020〕15号[Z/OL]. "
        "(2020-05-18)[2026-12-06]. https://archive.example.cn/documents/minzhu-guanli.")


def test_pdf_passage_cites_its_page_and_opens_the_original_there(tmp_path: Path) -> None:
    rendered = render_bulletin_pdf(tmp_path / "gaigekuaibao-2021-12.pdf")
    doc = one(rendered.path)
    later = [p for p in doc.passages() if rendered.span_of(p.text[:12])[0] == 2]
    assert later, "the rendered bulletin runs onto a second page"
    passage = later[0]
    c = cite(doc, BASE, passage, ON)
    assert c.text == (f"{OFFICE}. {TITLE}[J/OL]. 改革快报, 2021(12): 2[2026-12-06]. "
                      f"https://archive.example.cn/documents/gaigekuaibao-2021-12/passages/"
                      f"{key(doc, passage.id)}.")
    assert c.page == 2
    assert c.file_url == (f"https://archive.example.cn/files/{doc.source.sha256}/"
                          "gaigekuaibao-2021-12.pdf#page=2")


def test_html_passage_has_no_page_but_its_own_permalink(tmp_path: Path) -> None:
    path = tmp_path / "防汛通知.html"
    path.write_text(HTML_NOTICE, encoding="utf-8")
    doc = one(path)
    passage = next(p for p in doc.passages() if p.text.startswith("入汛以来"))
    c = cite(doc, BASE, passage, ON)
    assert c.text == (
        "示例市人民政府办公室. 示例市人民政府办公室关于做好防汛工作的通知: 示政办发〔2022〕7号[Z/OL]. "
        "(2022-05-10)[2026-12-06]. https://archive.example.cn/documents/%E9%98%B2%E6%B1%9B%E9%80%9A%E7%9F%A5"
        f"/passages/{key(doc, passage.id)}.")
    assert c.page is None and c.passage_id == passage.id
    assert c.file_url.endswith("/%E9%98%B2%E6%B1%9B%E9%80%9A%E7%9F%A5.html")  # no #page


def test_a_page_on_a_gongwen_hangs_on_its_year() -> None:
    from ingest.model import Passage, Section, Source

    passage = Passage("p2", "第二段。", page=3)
    doc = Document("d1", "关于某事的通知", "policy", sections=(Section("", 0, (passage,)),),
                   date=dt.date(2020, 5, 18), issuer="某局",
                   source=Source("/x/d1.pdf", "pdf", "a" * 64))
    c = cite(doc, BASE, passage, ON)
    assert c.text == ("某局. 关于某事的通知[Z/OL]. 2020: 3(2020-05-18)[2026-12-06]. "
                      f"https://archive.example.cn/documents/d1/passages/p2-{digest('第二段。')}.")
    assert c.to_dict()["parts"]["file_url"] == f"https://archive.example.cn/files/{'a' * 64}/d1.pdf#page=3"
    no_author = Document("d2", "无责任者的材料", "other")
    assert cite(no_author, BASE, accessed=ON).text == (
        "无责任者的材料[Z/OL]. [2026-12-06]. https://archive.example.cn/documents/d2.")


def test_digest_is_of_one_spelling() -> None:
    # U+F900 is a compatibility ideograph that NFC writes as U+8C48: one text, one key
    assert digest("\uf900字") == digest("\u8c48字") != digest("\u8c49字")


def test_title_marks_inside_a_title_are_kept_as_written() -> None:
    # GB/T 7714 writes a title bare (no 《》 around it), so a 《》 inside it stays 《》
    doc = Document(doc_id="p", title="关于印发《企业民主管理工作意见》的通知", doc_type="policy",
                   issuer="示例州总工会", doc_number="示工发〔2020〕15号", date=dt.date(2020, 5, 18))
    assert cite(doc, BASE, accessed=ON).text == (
        "示例州总工会. 关于印发《企业民主管理工作意见》的通知: 示工发〔2020〕15号[Z/OL]. "
        "(2020-05-18)[2026-12-06]. https://archive.example.cn/documents/p.")
