"""Exports read back by their own libraries: the result list as CSV and XLSX, citations as
GB/T 7714 text and RIS, from the page's links, the API and the CLI."""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import openpyxl
import rispy

from search_app.cli import cli
from search_app.export import COLUMNS

QUERY = "职工"  # the bulletin and the sample notice


def api_rows(client) -> list[list[str]]:
    """What the export must hold, built from the JSON API and the document API."""
    hits = client.get(f"/api/search?q={QUERY}&per_page=50").get_json()["results"]
    labels = {"bulletin": "工作简报", "policy": "政策文件", "other": "其他"}
    return [[h["title"], labels[h["doc_type"]], h["issuer"] or "", h["doc_number"] or "",
             h["date"] or "", h["issue"] or "", f"http://localhost/documents/{h['doc_id']}",
             h["passages"][0]["text"] if h["passages"] else ""] for h in hits]


def citation_of(client, doc_id: str) -> str:
    return client.get(f"/api/documents/{doc_id}").get_json()["citation"]["text"]


def test_csv_export_parses_back_to_the_result_list(client) -> None:
    r = client.get(f"/api/search?q={QUERY}&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].endswith(
        "filename*=UTF-8''%E6%A3%80%E7%B4%A2%E7%BB%93%E6%9E%9C-%E8%81%8C%E5%B7%A5.csv")
    assert r.data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with its mark
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    expected = api_rows(client)
    assert len(expected) >= 2 and rows[1:] == expected


def test_xlsx_export_parses_back_with_openpyxl(client) -> None:
    r = client.get(f"/api/search?q={QUERY}&format=xlsx")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(COLUMNS) and rows[1:] == api_rows(client)
    assert sheet.cell(2, 7).hyperlink.target == rows[1][6]


def test_ris_export_parses_back_with_rispy(client, bulletin_id) -> None:
    r = client.get(f"/api/search?q={QUERY}&format=ris")
    assert r.status_code == 200 and r.mimetype == "application/x-research-info-systems"
    entries = rispy.loads(r.data.decode("utf-8"))
    hits = client.get(f"/api/search?q={QUERY}&per_page=50").get_json()["results"]
    assert [e["title"] for e in entries] == [h["title"] for h in hits]
    assert sorted(e["type_of_reference"] for e in entries) == ["GOVDOC", "JOUR"]
    bulletin = next(e for e in entries if e["type_of_reference"] == "JOUR")
    assert bulletin["journal_name"] == "改革快报" and bulletin["number"] == "12"
    assert bulletin["year"] == "2021" and bulletin["date"] == "2021/06/22"
    assert bulletin["authors"] == ["云南省新时期产业工人队伍建设改革工作协调领导小组办公室"]
    assert bulletin["notes"] == [citation_of(client, bulletin_id)]
    assert bulletin["urls"][0] == f"http://localhost/documents/{bulletin_id}"
    assert re.fullmatch(r"http://localhost/files/[0-9a-f]{64}/gaigekuaibao-2021-12\.pdf",
                        bulletin["urls"][1])


def test_selected_citations_as_text_and_ris(client, app) -> None:
    from web_support import SAMPLE_TITLE, find_doc_id

    sample = find_doc_id(app, SAMPLE_TITLE)
    ids = ["gaigekuaibao-2021-12", sample]
    r = client.get(f"/export?doc={ids[0]}&doc={ids[1]}&format=txt")
    assert r.status_code == 200
    assert r.data.decode() == "".join(f"[{n}] {citation_of(client, d)}\n"
                                      for n, d in enumerate(ids, 1))
    entries = rispy.loads(client.get(f"/api/export?doc={sample}&format=ris").data.decode())
    assert [(e["type_of_reference"], e["note"]) for e in entries] == [("GOVDOC", "示工发〔2021〕3号")]


def test_export_errors_name_the_parameter(client) -> None:
    r = client.get("/api/export?format=ris")
    assert r.status_code == 400
    assert r.get_json()["error"]["message"] == "参数 doc 无效：请先勾选要导出引用的文档"
    r = client.get(f"/api/search?q={QUERY}&format=pdf")
    assert r.get_json()["error"]["message"] == "参数 format 无效：应为 json、csv、xlsx、ris 或 txt"
    r = client.get("/export?doc=nosuch&format=txt")
    assert r.status_code == 404 and "未找到文档：nosuch" in r.get_data(as_text=True)


def test_results_page_links_every_export(client, bulletin_id) -> None:
    text = client.get(f"/search?q={QUERY}&type=bulletin").get_data(as_text=True)
    links = dict(re.findall(r'<a class="export-(\w+)" href="([^"]+)"', text))
    assert set(links) == {"csv", "xlsx", "txt", "ris"}
    assert html.unescape(links["csv"]) == (
        "/api/search?format=csv&q=%E8%81%8C%E5%B7%A5&type=bulletin")
    assert f'<input type="checkbox" form="export-form" name="doc" value="{bulletin_id}">' in text
    rows = list(csv.reader(io.StringIO(client.get(html.unescape(links["csv"])).data
                                       .decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["工作简报"]  # the filter is carried into the export


def test_cli_exports_and_cites(runner, index_dir: Path, tmp_path: Path, client,
                               bulletin_id, bulletin) -> None:
    out = tmp_path / "结果.xlsx"
    r = runner.invoke(cli, ["search", QUERY, "--index", str(index_dir), "--format", "xlsx",
                            "-o", str(out), "--base-url", "http://localhost/"])
    assert r.exit_code == 0, r.output
    rows = [[c if c is not None else "" for c in row]
            for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    assert rows[1:] == api_rows(client)
    passage = next(p for p in bulletin.passages() if p.page == 2)
    r = runner.invoke(cli, ["cite", bulletin_id, "--passage", passage.id, "--index",
                            str(index_dir), "--base-url", "http://localhost/"])
    assert r.exit_code == 0, r.output
    api = client.get(f"/api/documents/{bulletin_id}").get_json()
    expected = next(p["citation"]["text"] for s in api["sections"] for p in s["passages"]
                    if p["id"] == passage.id)
    assert r.stdout == expected + "\n" and ": 2[" in expected
    r = runner.invoke(cli, ["cite", bulletin_id, "--passage", "p99", "--index", str(index_dir)])
    assert r.exit_code == 1
    assert r.stderr == (f"错误：文档 {bulletin_id} 中没有段落 p99（段落编号形如 p1、p2，"
                        f"见 gongwen show {bulletin_id} --json）\n")
    r = runner.invoke(cli, ["search", QUERY, "--index", str(index_dir), "--format", "csv"])
    assert r.exit_code == 1 and "--format 与 -o 须同时给出" in r.stderr


def test_a_cell_that_would_be_a_formula_stays_text() -> None:
    from search_app.export import to_csv, to_xlsx

    row = ("=HYPERLINK(\"http://evil\")", "其他", "@某局", "-1", "", "", "+x", "正文")
    parsed = list(csv.reader(io.StringIO(to_csv(iter([row])).decode("utf-8-sig"))))
    assert parsed[1] == ["'=HYPERLINK(\"http://evil\")", "其他", "'@某局", "'-1", "", "", "'+x", "正文"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(iter([row])))).active
    assert sheet.cell(2, 1).value == "'=HYPERLINK(\"http://evil\")"
    assert sheet.cell(2, 1).data_type == "s"
