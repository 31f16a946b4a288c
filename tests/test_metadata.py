"""Title, issuer, 发文字号 and dates from a printed page's layout, on PDFs the tests draw, and on the
real office files (skipped when ../shared is absent)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest import parse_file
from ingest.structure import normalize_doc_number
from render import DATA, Para, render_pdf

RED = "#E60000"
BODY = [
    Para("为进一步规范本省高等学校教学管理，现将有关事项通知如下。"),
    Para("一、加强课程管理"),
    Para("各校要健全课程审核机制，严格执行教学计划，确保课程质量。"),
    Para("二、严格考试纪律"),
    Para("各校要完善考试管理制度，对违纪行为依规处理。"),
]


def red_header_notice() -> list[Para]:
    """A 上行文-style notice: red 发文机关标志, 发文字号 with 签发人, two-line title, 落款 in 汉字."""
    return [
        Para("示例省教育厅文件", 30, "center", 0, color=RED),
        Para("示教发〔2021〕7号" + " " * 14 + "签发人：张明", 15, "center", 0, 14),
        Para("示例省教育厅关于进一步加强高等学校", 21, "center", 0, 24),
        Para("教学管理工作的通知", 21, "center", 0),
        Para("各高等学校：", 15, "justify", 0, 14),
        *BODY,
        Para("示例省教育厅", 15, "right", 0, 30),
        Para("二〇二一年十月二十七日", 15, "right", 0),
        Para("抄送：教育部办公厅。", 13, "justify", 0, 30),
        Para("示例省教育厅办公室 2021年10月28日印发", 13, "justify", 0),
    ]


def test_red_header_notice(tmp_path: Path) -> None:
    (doc,) = parse_file(render_pdf(tmp_path / "notice.pdf", red_header_notice()).path)
    assert doc.title == "示例省教育厅关于进一步加强高等学校教学管理工作的通知"
    assert (doc.issuer, doc.doc_number, doc.date, doc.kind, doc.doc_type) == (
        "示例省教育厅", "示教发〔2021〕7号", dt.date(2021, 10, 27), "通知", "policy")
    texts = [p.text for p in doc.passages()]
    assert texts[0] == BODY[0].text and "二〇二一年十月二十七日" not in "".join(texts)
    assert not any("文件" in t or "签发人" in t for t in texts)
    assert doc.extra.get("printed_by") == "示例省教育厅办公室"
    assert doc.extra.get("printed_date") == "2021-10-28"


def test_title_in_larger_font_below_a_site_banner(tmp_path: Path) -> None:
    """A browser print: banner and menu lines first, the gov site's table, then the title."""
    paras = [
        Para("网站支持IPV6", 7, "right", 0),
        Para("首页 > 政府信息公开 > 政策文件", 7, "left", 0),
        Para("发⽂机关：示例市发展和改⾰委员会 效力状态：有效", 8, "left", 0, 8),
        Para("发⽂字号：示发改规（2025）4号 发布日期：2025年10月11日", 8, "left", 0),
        Para("示例市发展和改革委员会关于调整市区管道燃气价格的通知", 12, "center", 0, 12),
        Para("市直各相关单位：", 10.5, "justify", 0, 12),
        Para("经市人民政府同意，决定调整我市市区管道燃气销售价格。现就有关事项通知如下。", 10.5),
        Para("一、居民用气价格每立方米3.07元。", 10.5),
        Para("二、本通知自2025年11月1日起执行。", 10.5),
        Para("2025年10月11日", 10.5, "right", 0, 20),
    ]
    (doc,) = parse_file(render_pdf(tmp_path / "print.pdf", paras).path)
    assert doc.title == "示例市发展和改革委员会关于调整市区管道燃气价格的通知"
    assert (doc.issuer, doc.doc_number) == ("示例市发展和改革委员会", "示发改规〔2025〕4号")
    assert doc.extra["publish_date"] == "2025-10-11"
    assert not any("IPV6" in p.text or "发布日期" in p.text for p in doc.passages())


def test_attachment_title_below_its_label(tmp_path: Path) -> None:
    paras = [Para("附件2", 16, "left", 0),
             Para("示例企业会计处理暂行规定", 18, "center", 0, 20),
             *BODY[2:]]
    (doc,) = parse_file(render_pdf(tmp_path / "att.pdf", paras).path)
    assert doc.title == "示例企业会计处理暂行规定"
    assert (doc.kind, doc.extra["attachment"]) == ("规定", "附件2")


def test_file_name_only_without_a_title_and_it_says_so(tmp_path: Path) -> None:
    (doc,) = parse_file(render_pdf(tmp_path / "正文.pdf", BODY[2:3] + BODY[4:]).path)
    assert (doc.title, doc.extra["title_from"]) == ("正文", "file name")
    assert doc.issuer is None and doc.doc_number is None and doc.date is None


@pytest.mark.parametrize(("printed", "normalized"), [
    ("(2012)厦大教10号", "厦大教〔2012〕10号"),
    ("信院（2024）12号", "信院〔2024〕12号"),
    ("财会[2016]22号", "财会〔2016〕22号"),
    ("国办发〔2019〕第6号", "国办发〔2019〕6号"),
])
def test_doc_numbers_in_every_printed_form(printed: str, normalized: str) -> None:
    assert normalize_doc_number(printed) == normalized


OFFICE = DATA / "office_files"


@pytest.mark.skipif(not (OFFICE / "gold.jsonl").is_file(), reason=f"shared data not found at {OFFICE}")
def test_real_office_files_with_a_text_layer() -> None:
    """The office files whose metadata is printed in their text layer (no OCR, no .doc)."""
    gold = {json.loads(line)["file"]: json.loads(line)["gold"]
            for line in (OFFICE / "gold.jsonl").read_text(encoding="utf-8").splitlines()}
    nanning = next(f for f in gold if f.startswith("z305760276+nnzr/南宁"))
    (doc,) = parse_file(OFFICE / nanning)
    # The gold leaves 成文日期 open ("?"); the page's 落款 is dated 2025年10⽉11⽇ (月, 日 as
    # Kangxi radicals), read once they are folded: the 成文日期, the same day as 发布日期.
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        gold[nanning]["title"], gold[nanning]["issuer"], gold[nanning]["doc_number"],
        dt.date(2025, 10, 11))
    assert doc.extra["publish_date"] == "2025-10-11"
    xinhua = next(f for f in gold if f.startswith("zllwhu+heritage-front/中共中央办公厅"))
    (doc,) = parse_file(OFFICE / xinhua)
    assert doc.title == gold[xinhua]["title"]
    assert doc.issuer == "中共中央办公厅、国务院办公厅" and doc.doc_number is None
    html = next(f for f in gold if f.endswith("020-关于印发-企业数据资源相关会计处理暂行规定-的通知.html"))
    (doc,) = parse_file(OFFICE / html)
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        gold[html]["title"], "财政部", "财会〔2023〕11号", dt.date(2023, 8, 1))
    for name in ("Fungwingwaa+cee/gwrrlml.pdf",
                 "bailichuan869-commits+zh/020-P020230821585628790308.pdf",
                 "bailichuan869-commits+zh/007-P020160927561758728583.docx"):
        (doc,) = parse_file(OFFICE / name)
        assert doc.title == gold[name]["title"].removesuffix("（附件）"), name
        assert doc.extra["attachment"].startswith("附件"), name


def draw_announcement(path: Path) -> Path:
    """A 公告 whose date digits sit 10 pt below 年/月/日, in the gaps, as some producers draw them."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from render import A4, _font

    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)

    def centred(text: str, size: float, y: float) -> None:
        c.setFont(font, size)
        c.drawCentredString(A4[0] / 2, y, text)

    centred("示例省人民代表大会常务委员会", 22, 720)
    centred("公 告", 22, 685)
    centred("（十四届第5号）", 16, 650)
    c.setFont(font, 15)
    c.drawString(109, 600, "《示例省燃气管理条例》已由省人民代表大会常务委员会通过，")
    c.drawString(79, 572, "现予公布，自2023年5月1日起施行。")
    c.drawString(300, 500, "示例省人民代表大会常务委员会")
    x = 380
    for digits, unit in (("2023", "年"), ("3", "月"), ("28", "日")):
        c.drawString(x, 460, digits)  # the digits' own baseline, a little lower
        x += stringWidth(digits, font, 15) + 1
        c.drawString(x, 470, unit)
        x += 16
    c.showPage()
    c.save()
    return path


def test_announcement_with_its_number_and_displaced_date_digits(tmp_path: Path) -> None:
    (doc,) = parse_file(draw_announcement(tmp_path / "gonggao.pdf"))
    assert doc.title == "示例省人民代表大会常务委员会公告（十四届第5号）"
    assert (doc.issuer, doc.doc_number, doc.date, doc.kind) == (
        "示例省人民代表大会常务委员会", "十四届第5号", dt.date(2023, 3, 28), "公告")
    assert doc.extra["effective_date"] == "2023-05-01"


def test_json_lines_record_without_title_gets_one_from_its_text(tmp_path: Path) -> None:
    from ingest import ingest_paths

    path = tmp_path / "records.jsonl"
    path.write_text(
        json.dumps({"id": "n1", "text": "示例县人民政府关于做好春节期间值班工作的通知\n各乡镇：\n"
                    "请各单位安排好值班人员，确保信息畅通。"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "n2", "title": "值班表", "text": "值班人员名单如下。"},
                     ensure_ascii=False) + "\n", encoding="utf-8")
    report = ingest_paths([path])
    assert not report.failures
    titles = {d.doc_id: d.title for d in report.documents}
    assert titles == {"n1": "示例县人民政府关于做好春节期间值班工作的通知", "n2": "值班表"}
    assert report.titles_derived == 1
