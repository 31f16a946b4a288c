"""Tables kept as tables: rows of cells from PDF (ruled, portrait and landscape), DOCX (merged and
nested cells) and HTML (data, not layout), never headings, not repeated in the body, searchable,
and shown as a table on the document page, in the JSON API and by `gongwen show`."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pdfplumber
import pytest

from browser_support import chromium, needs_chromium
from ingest.model import Document, Passage
from ingest.pipeline import parse_file
from render import DATA, render_table_pdf

INTRO = ("各乡镇人民政府，县直各有关单位：根据县安全生产委员会的统一部署，县应急管理局于六月组织"
         "开展了安全生产大检查，现将检查发现的问题统计如下。")
OUTRO = ("请各乡镇、各单位对照问题清单，于七月十日前完成整改，并将整改情况书面报送县应急管理局，"
         "逾期未完成整改的将予以通报。")
PDF_ROWS = [["检查项目", "检查单位", None, "问题数"],
            ["一、危化品企业", "12", "家", "3"],
            ["二、建筑工地", "30", "处", "7"]]
PDF_TABLE = (("检查项目", "检查单位", "", "问题数"),  # the merged cell's text once
             ("一、危化品企业", "12", "家", "3"),
             ("二、建筑工地", "30", "处", "7"))


def tables(doc: Document) -> list[Passage]:
    return [p for p in doc.passages() if p.is_table]


def assert_kept_whole(doc: Document, rows: tuple[tuple[str, ...], ...]) -> Passage:
    """One table passage with exactly these rows; no cell a heading or in another passage."""
    (table,) = tables(doc)
    assert table.rows == rows
    assert table.text == "\n".join("｜".join(row) for row in rows)
    cells = {cell for row in rows for cell in row if cell}
    headings = {s.heading for s in doc.sections} | {h for p in doc.passages()
                                                    for h in p.section_path}
    assert not cells & headings
    body = "\n".join(p.text for p in doc.passages() if not p.is_table)
    assert [c for c in cells if len(c) > 2 and c in body] == []
    return table


# --- PDF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("landscape", ["", "wide", "rotated"])
def test_pdf_ruled_table(tmp_path: Path, landscape: str) -> None:
    path = render_table_pdf(tmp_path / "检查情况.pdf", [INTRO], PDF_ROWS, [OUTRO],
                            landscape=landscape)
    with pdfplumber.open(path) as pdf:  # the page is what the case says
        page = pdf.pages[0]
        media = page.page_obj.attrs["MediaBox"]
        assert (page.rotation, page.width > page.height, media[2] > media[3]) == {
            "": (0, False, False), "wide": (0, True, True), "rotated": (90, True, False)}[landscape]
    (doc,) = parse_file(path)
    table = assert_kept_whole(doc, PDF_TABLE)
    assert [p.text for p in doc.passages()] == [INTRO, table.text, OUTRO]
    assert table.page == 1
    assert [s.level for s in doc.sections] == [0]  # 一、危化品企业 in a cell starts no section


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_pdf_table_over_a_page_break_is_one_table(tmp_path: Path, repeat_header: bool) -> None:
    rows = [["序号", "单位", "问题数"]] + [[str(n), f"第{n}检查组", str(n % 4)] for n in range(1, 41)]
    path = render_table_pdf(tmp_path / "长表.pdf", [INTRO], rows, [OUTRO],
                            repeat_header=repeat_header)
    (doc,) = parse_file(path)
    table = assert_kept_whole(doc, tuple(tuple(row) for row in rows))
    assert table.page == 1
    assert [p.text for p in doc.passages()] == [INTRO, table.text, OUTRO]
    assert [p.page for p in doc.passages()] == [1, 1, 2]


def test_pdf_box_around_prose_is_not_a_table(tmp_path: Path) -> None:
    """A ruled box of one column (a frame around text) stays running text."""
    path = render_table_pdf(tmp_path / "框.pdf", [INTRO], [["注：本表数据截至6月30日。"],
                                                          ["数据来源：县应急管理局。"]], [OUTRO])
    (doc,) = parse_file(path)
    assert tables(doc) == []
    assert "注：本表数据截至6月30日。" in doc.text


def test_pdf_ruled_metadata_table_stays_text(tmp_path: Path) -> None:
    """A gov page's printed 发文机关/发文字号 box is metadata, read as such, not a data table."""
    path = render_table_pdf(tmp_path / "通知.pdf", [], [
        ["发文机关：示例县人民政府", "发文字号：示政发〔2021〕3号"],
        ["成文日期：2021年3月1日", "发布日期：2021年3月2日"]], [INTRO, OUTRO])
    (doc,) = parse_file(path)
    assert tables(doc) == []
    assert (doc.issuer, doc.doc_number, doc.date.isoformat()) == (
        "示例县人民政府", "示政发〔2021〕3号", "2021-03-01")


# --- DOCX -----------------------------------------------------------------------------------

def _docx_with_merged_and_nested(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("示例州总工会关于职工技能大赛获奖情况的通报", style="Title")
    document.add_paragraph("经评审，各项目获奖情况见下表。")
    grid = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["项目", "获奖单位", "名次"], ["电工", "州电力公司", "一等奖"],
                             ["", "州供电局", "二等奖"], ["焊工", "", "三等奖"]]):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    grid.cell(1, 0).merge(grid.cell(2, 0))  # 电工 spans two rows
    nested = grid.cell(3, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "州建工集团"
    nested.cell(0, 1).text = "第二分公司"
    document.add_paragraph("希望各单位再接再厉。")
    document.save(str(path))
    return path


def test_docx_table_with_merged_and_nested_cells(tmp_path: Path) -> None:
    (doc,) = parse_file(_docx_with_merged_and_nested(tmp_path / "通报.docx"))
    table = assert_kept_whole(doc, (("项目", "获奖单位", "名次"),
                                    ("电工", "州电力公司", "一等奖"),
                                    ("", "州供电局", "二等奖"),
                                    ("焊工", "州建工集团第二分公司", "三等奖")))
    assert [p.text for p in doc.passages()] == ["经评审，各项目获奖情况见下表。", table.text,
                                               "希望各单位再接再厉。"]


# --- HTML -----------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>检查情况</title></head>
<body><table role="presentation"><tr><td><div class="article">
<h1>示例县应急管理局关于安全生产大检查情况的通报</h1>
<p>各乡镇人民政府：</p><p>现将检查发现的问题统计如下。</p>
<table border="1"><caption>安全生产检查问题统计表</caption><tr><th rowspan="2">检查项目</th><th colspan="2">检查单位</th></tr>
<tr><th>数量</th><th>单位</th></tr>
<tr><td>一、危化品企业</td><td>12</td><td>家</td></tr></table>
<p>请于7月10日前完成整改。</p></div></td></tr></table></body></html>"""


def test_html_data_table_inside_a_layout_table(tmp_path: Path) -> None:
    path = tmp_path / "通报.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (doc,) = parse_file(path)
    table = assert_kept_whole(doc, (("检查项目", "检查单位", ""), ("", "数量", "单位"),
                                    ("一、危化品企业", "12", "家")))
    assert [p.text for p in doc.passages()][-3:] == ["安全生产检查问题统计表", table.text,
                                                     "请于7月10日前完成整改。"]


def test_html_metadata_table_is_not_a_data_table(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("""<html><body><table><tr><td>发文机关：</td><td>示例县人民政府</td></tr>
<tr><td>发文字号：</td><td>示政发〔2021〕3号</td></tr></table>
<p>示例县人民政府关于做好防汛工作的通知</p><p>各乡镇：请做好防汛准备。</p></body></html>""",
                    encoding="utf-8")
    (doc,) = parse_file(path)
    assert tables(doc) == []
    assert (doc.issuer, doc.doc_number) == ("示例县人民政府", "示政发〔2021〕3号")


WIDE_HEADER = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
               "其他法人或其他组织", "总计", "上年结转数量", "结转下年度继续办理"]


def _wide_docx(path: Path) -> Path:
    """A ten-column statistics table, wider than a phone's screen."""
    import docx

    document = docx.Document()
    document.add_paragraph("示例县政府信息公开申请情况统计", style="Title")
    grid = document.add_table(rows=3, cols=len(WIDE_HEADER))
    for c, value in enumerate(WIDE_HEADER):
        grid.cell(0, c).text = value
        grid.cell(1, c).text = str(c * 3)
        grid.cell(2, c).text = str(c * 5)
    document.save(str(path))
    return path


# --- index, API, page, CLI ------------------------------------------------------------------

@pytest.fixture(scope="module")
def table_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    corpus = tmp_path_factory.mktemp("tables")
    render_table_pdf(corpus / "检查情况.pdf", [INTRO], PDF_ROWS, [OUTRO])
    _docx_with_merged_and_nested(corpus / "通报.docx")
    _wide_docx(corpus / "统计表.docx")
    prepare_analysis()
    path = tmp_path_factory.mktemp("index") / "index"
    summary = ingest_into_index([corpus], path)
    assert summary.failures == (), summary.failure_lines()
    return path


@pytest.fixture(scope="module")
def client(table_index: Path) -> Iterator:
    from search_app import create_app
    from search_app.store import close_index

    app = create_app({"TESTING": True, "INDEX_PATH": table_index})
    yield app.test_client()
    close_index(app)


def _table_id(client, doc_id: str) -> str:
    doc = client.get(f"/api/documents/{doc_id}").get_json()
    (table,) = [p for s in doc["sections"] for p in s["passages"] if p["rows"]]
    return table["id"]


@pytest.mark.parametrize("query,doc_id", [("建筑工地", "检查情况"), ("州供电局", "通报"),
                                          ("第二分公司", "通报")])
def test_search_for_a_cell_finds_the_table(client, query: str, doc_id: str) -> None:
    results = client.get("/api/search", query_string={"q": query}).get_json()
    (hit,) = [h for h in results["results"] if h["doc_id"] == doc_id]
    top = hit["passages"][0]
    assert top["id"] == _table_id(client, doc_id)
    assert f"<mark>{query}</mark>" in top["html"]


def test_api_document_rows(client) -> None:
    doc = client.get("/api/documents/检查情况").get_json()
    (table,) = [p for s in doc["sections"] for p in s["passages"] if p["rows"]]
    assert table["rows"] == [list(row) for row in PDF_TABLE]
    assert table["page"] == 1
    assert all(p["rows"] == [] for s in doc["sections"] for p in s["passages"]
               if p["id"] != table["id"])


def test_document_page_shows_the_table_with_marks(client) -> None:
    page = client.get("/documents/检查情况", query_string={"q": "建筑工地"}).get_data(as_text=True)
    table = re.search(r'<table class="data-table">(.*?)</table>', page, re.S)
    assert table is not None
    rows = [re.findall(r"<td>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1))]
    assert rows == [["检查项目", "检查单位", "", "问题数"], ["一、危化品企业", "12", "家", "3"],
                    ["二、<mark>建筑工地</mark>", "30", "处", "7"]]
    assert "<h2>一、危化品企业</h2>" not in page


def test_cli_show_prints_the_rows(table_index: Path) -> None:
    from click.testing import CliRunner

    from search_app.cli import cli

    result = CliRunner().invoke(cli, ["show", "检查情况", "--index", str(table_index)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("表格（3 行）"))
    assert lines[at + 1:at + 4] == ["    检查项目｜检查单位｜｜问题数", "    一、危化品企业｜12｜家｜3",
                                    "    二、建筑工地｜30｜处｜7"]


# --- real files ----------------------------------------------------------------------------

REPORT = DATA / "pdfs" / "淮安市洪泽区人民政府_2024年政府信息公开工作年度报告.pdf"
CATALOGUE = DATA / "office_files" / "Fungwingwaa+cee" / "gwrrlml.pdf"


@pytest.mark.skipif(not REPORT.is_file(), reason=f"real data absent: {REPORT}")
def test_real_annual_report_statistics_tables() -> None:
    (doc,) = parse_file(REPORT)
    found = tables(doc)
    first = found[0]
    assert first.rows[:3] == (("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
                              ("规章", "0", "0", "0"), ("行政规范性文件", "3", "0", "8"))
    assert any(row[:4] == ("一、本年新收政府信息公开申请数量", "", "", "24") or
               row[0] == "一、本年新收政府信息公开申请数量" for t in found for row in t.rows)
    body = "\n".join(p.text for p in doc.passages() if not p.is_table)
    assert "本年制发件数" not in body and "本年新收政府信息公开申请数量" not in body
    headings = {s.heading for s in doc.sections}
    assert "一、本年新收政府信息公开申请数量" not in headings


@pytest.mark.skipif(not CATALOGUE.is_file(), reason=f"real data absent: {CATALOGUE}")
def test_real_catalogue_tables() -> None:
    """高污染燃料目录: a wide table of fuel classes, and a table of limits on the next page."""
    (doc,) = parse_file(CATALOGUE)
    first, second = tables(doc)
    assert first.rows[0][:2] == ("类别", "燃料种类") and [r[0] for r in first.rows[1:]] == [
        "Ⅰ类", "Ⅱ类"]
    assert [r[0] for r in second.rows] == ["燃料种类", "型煤", "焦炭", "兰炭"]
    assert (first.page, second.page) == (1, 2)
    assert not {r[0] for r in second.rows} & {s.heading for s in doc.sections}


# --- a phone's screen ----------------------------------------------------------------------

@needs_chromium
def test_wide_table_scrolls_sideways_on_a_390px_screen(table_index: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from search_app import create_app
    from search_app.store import close_index
    from web_support import ServerThread

    app = create_app({"TESTING": True, "INDEX_PATH": table_index})
    driver = chromium(tmp_path / "profile", window=None)
    try:
        with ServerThread(app) as server:
            driver.set_window_rect(width=390, height=844)
            width = driver.execute_script("return window.innerWidth")
            driver.get(server.url + "/documents/统计表")
            box = driver.find_element(By.CSS_SELECTOR, ".table-scroll")
            cells = [td.text for td in box.find_elements(By.CSS_SELECTOR, "tr:first-child td")]
            assert cells[:3] == WIDE_HEADER[:3]  # the first cells in view
            scroll, client = driver.execute_script(
                "return [arguments[0].scrollWidth, arguments[0].clientWidth]", box)
            assert scroll > client  # the table scrolls inside its box …
            page = driver.execute_script("return document.documentElement.scrollWidth")
            assert page <= width  # … and the page itself does not
            driver.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth", box)
            last = box.find_element(By.CSS_SELECTOR, "tr:first-child td:last-child")
            assert last.text == WIDE_HEADER[-1] and last.is_displayed()
    finally:
        driver.quit()
        close_index(app)


PLAN = (DATA / "office_files" / "zllwhu+heritage-front" /
        "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”规划》的通知.pdf")


@pytest.mark.skipif(not PLAN.is_file(), reason=f"real data absent: {PLAN}")
def test_real_plan_indicator_table_over_three_pages() -> None:
    """湖北省文物事业发展“十四五”规划: the table of indicators runs over pages 10–12."""
    (doc,) = parse_file(PLAN)
    passages = list(doc.passages())
    (at,) = [i for i, p in enumerate(passages) if p.is_table]
    table = passages[at]
    assert passages[at - 1].text.endswith("“十四五”时期湖北省文物事业发展主要指标")
    assert (table.page, len(table.rows)) == (10, 26)
    assert table.rows[0] == ("指标", "", "2025年", "属性")
    assert table.rows[-1] == ("人才培养", "省级层面培训人员（人次）", "≥1000", "约束性")
    assert [r[0] for r in table.rows if r[0]] == ["指标", "保护利用", "文物安全", "革命文物", "博物馆",
                                                   "科技创新", "标准建设", "人才培养"]
    assert not {r[0] for r in table.rows if r[0]} & {s.heading for s in doc.sections}


def test_table_cells_are_escaped_and_marks_kept_per_cell() -> None:
    from search_app.tablecells import table_cells

    rows = (("名称", "<b>说明</b>&"), ("电工", "一等奖"))
    passage = Passage("p1", "名称｜<b>说明</b>&\n电工｜一等奖", rows=rows)
    assert table_cells(passage) == [["名称", "&lt;b&gt;说明&lt;/b&gt;&amp;"], ["电工", "一等奖"]]
    marked = "名称｜&lt;b&gt;说明&lt;/b&gt;&amp;\n<mark>电工</mark>｜一等奖"
    assert table_cells(passage, marked)[1] == ["<mark>电工</mark>", "一等奖"]
    across = "名称｜&lt;b&gt;说明&lt;/b&gt;&amp;\n<mark>电工｜一等</mark>奖"  # a mark over two cells
    assert table_cells(passage, across) == table_cells(passage)
