"""29 State Council documents from gov.cn against their gold 标题/发文机关/发文字号/成文日期."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ingest import Document, parse_date, parse_file
from render import DATA

GOVCN = DATA / "govcn_2019"
pytestmark = pytest.mark.skipif(not (GOVCN / "documents.jsonl").is_file(),
                                reason=f"shared data not found at {GOVCN}")
MIN_MATCHES = 27


def gold() -> list[dict]:
    with (GOVCN / "documents.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def without_info_table(page: Path, folder: Path) -> Path:
    """The same page with gov.cn's metadata table taken out: only the 公文 itself is left."""
    soup = BeautifulSoup(page.read_bytes(), "lxml")
    label = soup.find(lambda tag: tag.name == "td" and "发文字号" in tag.get_text())
    assert label is not None, page
    table = label.find_parent("table")
    while table.find_parent("table") is not None and \
            table.find_parent("table").find(id="UCAP-CONTENT") is None:
        table = table.find_parent("table")
    table.decompose()
    out = folder / page.name
    out.write_text(str(soup), encoding="utf-8")
    assert "发文字号" not in out.read_text(encoding="utf-8")
    return out


def fields(doc: Document) -> tuple[str, str | None, str | None, dt.date | None]:
    return doc.title, doc.issuer, doc.doc_number, doc.date


def expected(record: dict) -> tuple[str, str, str, dt.date | None]:
    return record["title"], record["issuer"], record["doc_number"], parse_date(record["written_date"])


@pytest.mark.parametrize("mode", ["page", "body only"])
def test_gold_fields(mode: str, tmp_path: Path) -> None:
    misses = []
    records = gold()
    assert len(records) == 29
    for record in records:
        page = GOVCN / "html" / f"{record['id']}.html"
        if mode == "body only":
            page = without_info_table(page, tmp_path)
        (doc,) = parse_file(page)
        if fields(doc) != expected(record):
            misses.append((record["id"], fields(doc), expected(record)))
    assert len(records) - len(misses) >= MIN_MATCHES, misses


def test_body_structure_without_the_table(tmp_path: Path) -> None:
    page = without_info_table(GOVCN / "html" / "govcn2019_000.html", tmp_path)
    (doc,) = parse_file(page)
    assert doc.doc_type == "policy" and doc.kind == "意见"
    assert doc.recipients == {"主送": ("各省、自治区、直辖市人民政府", "国务院各部委、各直属机构")}
    assert doc.sections[1].heading == "一、总体要求" and doc.sections[1].level == 1
    texts = [p.text for p in doc.passages()]
    assert texts[0].startswith("在市场监管领域全面推行“双随机、一公开”监管")
    assert texts[-1].startswith("各地区、各有关部门要做好相关法规规章")
    for outside in ("国发〔2019〕5号", "国务院", "2019年1月27日", "（此件公开发布）"):
        assert outside not in texts


def test_info_table_extras() -> None:
    (doc,) = parse_file(GOVCN / "html" / "govcn2019_000.html")
    assert doc.extra["publish_date"] == "2019-02-15"
    assert doc.extra["index_number"] == "000014349/2019-00007"
    assert doc.extra["topic"] == "市场监管、安全生产监管\\工商"


def test_joint_issuers_and_old_dates_from_the_body(tmp_path: Path) -> None:
    (doc,) = parse_file(without_info_table(GOVCN / "html" / "govcn2019_018.html", tmp_path))
    assert doc.issuer == "国务院办公厅、中央军委办公厅"
    assert doc.date == dt.date(1996, 6, 29)
    (doc,) = parse_file(without_info_table(GOVCN / "html" / "govcn2019_050.html", tmp_path))
    # a forwarded report carries its own signature and date further down: the first one counts
    assert (doc.issuer, doc.date) == ("国务院办公厅", dt.date(1997, 2, 4))
