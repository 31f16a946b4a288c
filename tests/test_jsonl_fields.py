"""JSON Lines records as the README documents them: required and optional keys, derived titles
counted in `gongwen ingest`'s summary line and --report."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ingest.pipeline import ingest_paths
from search_app.cli import cli

RECORDS = [
    {"id": "n1", "text": "示例县人民政府关于做好春节期间值班工作的通知\n各乡镇：\n"
                         "请各单位安排好值班人员，确保信息畅通。"},
    {"id": "n2", "title": "", "text": "示例县应急管理局关于开展防汛演练的通知\n各乡镇：\n"
                                      "请于6月底前完成防汛演练。"},
    {"id": 3, "title": "值班表", "text": "值班人员名单如下。", "doc_type": "other",
     "date": "2021年2月1日", "topic": "值班", "tags": ["a"], "sample": True},
    {"id": "law1", "law": "中华人民共和国安全生产法", "article": "第一条",
     "text": "为了加强安全生产工作，制定本法。"},
]


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def test_record_keys(tmp_path: Path) -> None:
    report = ingest_paths([write(tmp_path / "records.jsonl", RECORDS)])
    assert not report.failures
    docs = {d.doc_id: d for d in report.documents}
    assert {k: d.title for k, d in docs.items()} == {
        "n1": "示例县人民政府关于做好春节期间值班工作的通知",
        "n2": "示例县应急管理局关于开展防汛演练的通知",
        "3": "值班表", "law1": "中华人民共和国安全生产法 第一条"}
    assert [k for k, d in docs.items() if d.extra.get("title_derived") == "true"] == ["n1", "n2"]
    assert report.titles_derived == 2
    table = docs["3"]
    assert (table.doc_type, table.date.isoformat(), table.sample) == ("other", "2021-02-01", True)
    assert table.extra.get("topic") == "值班" and "tags" not in table.extra


def test_ingest_says_how_many_titles_were_derived(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    write(tmp_path / "data" / "records.jsonl", RECORDS)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "data"), "--index",
                                      str(tmp_path / "index"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "（写入 4 篇文档，其中 2 篇的标题取自正文）" in result.output
    assert json.loads(report.read_text(encoding="utf-8"))["titles_derived"] == 2


def test_bad_doc_type_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", [RECORDS[2], {"id": "x", "text": "正文。",
                                                       "doc_type": "notice"}])
    report = ingest_paths([path])
    (failure,) = report.failures
    assert failure.reason == "第 2 行：doc_type 只能是 bulletin、policy、other"
