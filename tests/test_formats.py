"""Each format parser on real files made in tmp_path, and the error each broken file produces."""
from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from ingest import SUPPORTED_EXTENSIONS, ParseError, doc_id_for, parse_file
from ingest.formats import extension_of
from render import Para, render_docx, render_pdf, render_shapes_pdf


def reason(path: Path) -> str:
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_registry() -> None:
    assert set(SUPPORTED_EXTENSIONS) >= {".txt", ".md", ".pdf", ".docx", ".html", ".htm",
                                         ".jsonl", ".jsonl.gz"}
    assert extension_of(Path("statutes.JSONL.GZ")) == ".jsonl.gz"
    assert extension_of(Path("report.final.PDF")) == ".pdf"
    assert extension_of(Path("archive.tar.gz")) == ".gz"


@pytest.mark.parametrize("name, doc_id", [
    ("gaigekuaibao-2021-12.txt", "gaigekuaibao-2021-12"),
    ("改革快报 2021年 第１２期.pdf", "改革快报_2021年_第12期"),
    ("国办发〔2019〕6号（全文）.docx", "国办发_2019_6号_全文_"),
    ("v1.2 draft.md", "v1.2_draft"),
    ("statutes.jsonl.gz", "statutes"),
])
def test_doc_id_from_the_file_name(name: str, doc_id: str) -> None:
    assert doc_id_for(Path("/somewhere") / name) == doc_id


# --- text ---------------------------------------------------------------------------------

def test_unsupported_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "notes.xyz").write_text("正文", encoding="utf-8")
    assert reason(tmp_path / "notes.xyz") == "不支持的文件类型 .xyz"
    (tmp_path / "empty.txt").write_bytes(b"")
    assert reason(tmp_path / "empty.txt") == "空文件"
    (tmp_path / "blank.md").write_text(" \n\n  \n", encoding="utf-8")
    assert reason(tmp_path / "blank.md") == "空文件"
    assert reason(tmp_path / "missing.txt") == "文件不存在"


@pytest.mark.parametrize("data", [bytes(range(0x80, 0x100)) * 20,  # invalid in UTF-8 and GB18030
                                  b"\x00\x01\x02\x03binary\x00" * 50,
                                  "Le café était très bon, déjà vu.\n".encode("latin-1") * 5])
def test_undecodable_text(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "bad.txt").write_bytes(data)
    assert reason(tmp_path / "bad.txt") == "无法识别文字编码（已尝试 UTF-8、GB18030）"


def test_front_matter_marks_a_sample_and_sets_fields(tmp_path: Path) -> None:
    path = tmp_path / "demo.md"
    path.write_text("---\ntitle: 示例州技能大赛情况通报\ndoc_type: other\ndate: 2021年7月1日\n"
                    "issuer: 示例州总工会\ndoc_number: 示工发[2021]3号\nsample: true\ntopic: 技能\n---\n"
                    "# 示例州技能大赛情况\n\n**一是**参赛人数创新高。\n", encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.sample is True
    assert (doc.title, doc.doc_type, doc.date, doc.issuer, doc.doc_number) == (
        "示例州技能大赛情况通报", "other", dt.date(2021, 7, 1), "示例州总工会", "示工发〔2021〕3号")
    assert doc.extra == {"topic": "技能"}
    assert [p.text for p in doc.passages()] == ["示例州技能大赛情况", "一是参赛人数创新高。"]
    assert doc.source is not None and doc.source.format == "text"


def test_bad_front_matter_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "demo.txt"
    path.write_text("---\ndoc_type: memo\n---\n正文。\n", encoding="utf-8")
    assert reason(path) == "文件头信息（front matter）：doc_type 只能是 bulletin、policy、other"
    path.write_text("---\ndate: 下周一\n---\n正文。\n", encoding="utf-8")
    assert reason(path) == "文件头信息（front matter）：无法识别日期 '下周一'"


def test_a_rule_line_is_not_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("---\n这不是元数据，而是一条分隔线后的正文。\n---\n", encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.sample is False
    assert "这不是元数据，而是一条分隔线后的正文。" in [p.text for p in doc.passages()]


# --- docx ---------------------------------------------------------------------------------

def test_docx_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    path = render_docx(tmp_path / "通知.docx", [
        ("示例州总工会关于举办职工技能大赛的通知", "Title"),
        ("示工发〔2021〕3号", None),
        ("各县市总工会，州级各产业工会：", None),
        ("为推动技能人才培养，决定举办全州职工技能大赛。", None),
        ("一、比赛项目", "Heading 1"),
        ("设电工、焊工两个项目。", None),
        ("报名安排", "Heading 2"),  # a Word heading without 公文 numbering
        ("报名截止时间见下表。", None),
        ("示例州总工会", None),
        ("2021年3月1日", None),
    ], table=[["项目", "报名截止"], ["电工", "2021年3月20日"]])
    (doc,) = parse_file(path)
    assert (doc.doc_type, doc.doc_number, doc.issuer, doc.kind) == (
        "policy", "示工发〔2021〕3号", "示例州总工会", "通知")
    assert doc.title == "示例州总工会关于举办职工技能大赛的通知"
    assert doc.date == dt.date(2021, 3, 1)
    assert [(s.level, s.heading) for s in doc.sections] == [
        (0, ""), (1, "一、比赛项目"), (2, "报名安排")]
    assert [p.text for p in doc.sections[2].passages] == [
        "报名截止时间见下表。", "项目｜报名截止\n电工｜2021年3月20日"]
    assert doc.sections[2].passages[1].rows == (("项目", "报名截止"), ("电工", "2021年3月20日"))
    assert doc.source is not None and doc.source.format == "docx"


def test_broken_docx(tmp_path: Path) -> None:
    (tmp_path / "fake.docx").write_bytes(b"this is plain text, not a Word file" * 3)
    assert reason(tmp_path / "fake.docx") == "不是 DOCX 文件"
    good = render_docx(tmp_path / "good.docx", [("正文。", None)]).read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    assert reason(tmp_path / "cut.docx") == "不是 DOCX 文件（已损坏，或不是 Word 文档）"


# --- html ---------------------------------------------------------------------------------

def test_html_drops_chrome_and_keeps_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="gongwen:sample" content="true"><title>示例县关于开展安全检查的通知_示例县政府网</title>
<style>p { color: red }</style><script>var tracking = "产业工人";</script></head>
<body><nav><a href="/">首页</a> &gt; <a href="/zc">政策</a></nav>
<div class="article"><h1>示例县应急管理局关于开展<br>安全生产大检查的通知</h1>
<p>各乡镇，县直各部门：</p>
<p>为切实做好<span style="font-weight:bold">安全生产</span>工作，决定开展大检查。</p>
<p>一、检查范围</p><p>全县所有生产经营单位。<br>重点是危化品企业。</p>
<table><tr><td>阶段</td><td>时间</td></tr><tr><td>自查</td><td>7月</td></tr></table>
<p>示例县应急管理局</p><p>2021年7月1日</p></div>
<footer>版权所有 示例县人民政府</footer></body></html>""", encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.sample is True
    assert (doc.doc_type, doc.title, doc.issuer, doc.date) == (
        "policy", "示例县应急管理局关于开展安全生产大检查的通知", "示例县应急管理局", dt.date(2021, 7, 1))
    assert [p.text for p in doc.passages()] == [
        "为切实做好安全生产工作，决定开展大检查。", "全县所有生产经营单位。", "重点是危化品企业。",
        "阶段｜时间\n自查｜7月"]
    assert "tracking" not in doc.text and "首页" not in doc.text and "版权所有" not in doc.text


def test_html_in_gb18030_with_a_meta_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "</head><body><p>关于做好春节期间安全工作的通知</p><p>各单位：</p>"
            "<p>春节将至，请各单位做好值班安排。</p></body></html>")
    (tmp_path / "gb.htm").write_bytes(page.encode("gb18030"))
    (doc,) = parse_file(tmp_path / "gb.htm")
    assert doc.title == "关于做好春节期间安全工作的通知"
    assert doc.recipients == {"主送": ("各单位",)}


# --- jsonl --------------------------------------------------------------------------------

RECORDS = [
    {"id": "n1", "title": "关于做好防疫物资保障的通知", "text": "各有关单位：\n请做好物资保障。",
     "date": "2020年2月4日", "issuer": "示例市商务局", "doc_number": "示商发(2020)8号",
     "doc_type": "policy", "topic": "疫情"},
    {"id": "k1", "title": "示例快报", "sample": True,
     "text": "改革快报\n2021年第13期（总第39期）\n示例州产改办\n2021年7月15日\n示例州推进产改\n"
             "示例州持续推进产业工人队伍建设改革，取得积极成效。\n报：省产改办。"},
    {"id": "刑法||第一条", "law": "中华人民共和国刑法", "article": "第一条",
     "text": "为了惩罚犯罪，保护人民，根据宪法，制定本法。"},
]


def test_jsonl_records(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n\n",
                    encoding="utf-8")
    notice, bulletin, article = parse_file(path)
    assert (notice.doc_id, notice.doc_type, notice.date, notice.doc_number, notice.issuer) == (
        "n1", "policy", dt.date(2020, 2, 4), "示商发〔2020〕8号", "示例市商务局")
    assert notice.extra == {"topic": "疫情"} and notice.sample is False
    assert notice.recipients == {"主送": ("各有关单位",)}
    assert [p.text for p in notice.passages()] == ["请做好物资保障。"]
    # no doc_type given: structure extraction finds the masthead; the JSON title still wins
    assert (bulletin.doc_type, bulletin.title, bulletin.sample) == ("bulletin", "示例快报", True)
    assert bulletin.bulletin is not None and bulletin.bulletin.total_number == 39
    assert bulletin.recipients == {"报": ("省产改办",)}
    assert (article.doc_id, article.title, article.doc_type) == (
        "刑法||第一条", "中华人民共和国刑法 第一条", "other")
    assert article.extra == {"law": "中华人民共和国刑法", "article": "第一条"}
    assert {d.source.format for d in (notice, bulletin, article)} == {"jsonl"}  # type: ignore[union-attr]


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(gzip.compress(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS).encode("utf-8")))
    assert [d.doc_id for d in parse_file(path)] == ["n1", "k1", "刑法||第一条"]
    (tmp_path / "bad.jsonl.gz").write_bytes(b"not gzip at all")
    assert reason(tmp_path / "bad.jsonl.gz") == "不是 gzip 文件（或文件不完整）"


@pytest.mark.parametrize("lines, message", [
    (['{"id": "a", "title": "甲", "text": "正文。"}', "{oops", ""], "第 2 行：JSON 格式错误（第 2 列，键名必须用双引号）"),
    (['{"id": "a", "title": "甲", "text": "正文。"}', "", '{"id": "b", "title": "乙"}'],
     '第 3 行：缺少 "text" 字段（或为空）'),
    (['{"title": "甲", "text": "正文。"}'], '第 1 行：缺少 "id" 字段'),
    (['["a", "b"]'], "第 1 行：不是 JSON 对象"),
    (['{"id": "a", "title": "甲", "text": "正文。", "doc_type": "memo"}'],
     "第 1 行：doc_type 只能是 bulletin、policy、other"),
    (['{"id": "a", "title": "甲", "text": "正文。", "date": "去年"}'], "第 1 行：无法识别日期 '去年'"),
])
def test_jsonl_errors_name_the_line(tmp_path: Path, lines: list[str], message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert reason(path) == message


# --- pdf ----------------------------------------------------------------------------------

def test_broken_pdfs(tmp_path: Path) -> None:
    render_pdf(tmp_path / "locked.pdf", [Para("加密的文件内容。")], encrypt="secret")
    assert reason(tmp_path / "locked.pdf") == "PDF 已加密"
    good = render_pdf(tmp_path / "good.pdf", [Para("正常的文件内容，" * 60)]).path.read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) * 6 // 10])
    assert reason(tmp_path / "cut.pdf") == "PDF 已损坏或不完整"
    (tmp_path / "garbage.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert reason(tmp_path / "garbage.pdf") == "不是 PDF 文件"
    (tmp_path / "header-only.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    assert reason(tmp_path / "header-only.pdf") == "PDF 已损坏或不完整"
    render_shapes_pdf(tmp_path / "scan.pdf")
    assert reason(tmp_path / "scan.pdf") == "PDF 没有文字层，OCR 也未识别出文字（图像不清？）"
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert reason(tmp_path / "empty.pdf") == "空文件"


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    render_pdf(tmp_path / "owner.pdf", [Para("只设了权限密码的文件也能读。")], encrypt="")
    (doc,) = parse_file(tmp_path / "owner.pdf")
    assert [p.text for p in doc.passages()] == ["只设了权限密码的文件也能读。"]
