"""The reference bulletin 《改革快报》2021年第12期: masthead, sections, items, tail, references."""
from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from ingest import Document, parse_file
from render import reference_text

OFFICE = "云南省新时期产业工人队伍建设改革工作协调领导小组办公室"
TITLE = "大理州高位推动，系统谋划 以典型引领全面推进改革"


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("bulletin") / "gaigekuaibao-2021-12.txt"
    path.write_text(reference_text(), encoding="utf-8")
    (doc,) = parse_file(path)
    return doc


def test_masthead(bulletin: Document) -> None:
    assert bulletin.doc_type == "bulletin"
    assert bulletin.kind == "快报"
    info = bulletin.bulletin
    assert info is not None
    assert (info.name, info.year, info.number, info.total_number) == ("改革快报", 2021, 12, 38)
    assert info.office == OFFICE and bulletin.issuer == OFFICE
    assert bulletin.date == dt.date(2021, 6, 22)
    assert bulletin.title == TITLE
    assert bulletin.doc_id == "gaigekuaibao-2021-12"


def test_sections(bulletin: Document) -> None:
    assert [(s.level, s.heading) for s in bulletin.sections] == [
        (0, ""),
        (1, "一、在组织领导上做到“六个强化”"),
        (1, "二、在推进改革上做到“五个聚焦”"),
        (1, "三、在试点工作上做到“三个瞄准”"),
    ]
    preamble = bulletin.sections[0].passages
    assert len(preamble) == 1 and preamble[0].text.startswith("新时期产业工人队伍建设改革是习近平总书记")
    assert [len(s.passages) for s in bulletin.sections] == [1, 1, 6, 1]


def test_items(bulletin: Document) -> None:
    one, two, three = bulletin.sections[1:]
    assert [(i.label, i.title) for i in one.items] == [
        ("一是", "强化党的领导"), ("二是", "强化顶层设计"), ("三是", "强化机制建设"),
        ("四是", "强化责任落实"), ("五是", "强化联系指导"), ("六是", "强化支撑保障")]
    assert {i.passage_id for i in one.items} == {one.passages[0].id}
    assert [i.title for i in two.items] == [
        "聚焦“加强产业工人队伍思想政治建设”抓改革", "聚焦“保证产业工人主人翁地位”抓改革",
        "聚焦“构建产业工人技能形成体系”抓改革", "聚焦“创新产业工人发展制度”抓改革",
        "聚焦“强化产业工人队伍建设支撑保障”抓改革"]
    # each of section 二's items opens its own paragraph
    assert [i.passage_id for i in two.items] == [p.id for p in two.passages[1:]]
    assert [i.title for i in three.items] == ["瞄准产业选试点", "瞄准企业抓服务", "瞄准基层建组织"]


def test_passages_are_numbered_in_reading_order_with_their_section(bulletin: Document) -> None:
    passages = list(bulletin.passages())
    assert [p.id for p in passages] == [f"p{n}" for n in range(1, len(passages) + 1)]
    assert passages[1].section_path == ("一、在组织领导上做到“六个强化”",)
    assert all(p.page is None for p in passages)


def test_distribution_lists(bulletin: Document) -> None:
    assert bulletin.recipients == {
        "报": ("李小三同志", "王树芬同志", "崔茂虎同志", "全国推进产业工人队伍建设改革协调小组办公室",
              "全国总工会办公厅", "省委改革办"),
        "送": ("各州市", "省级产业系统公司", "各成员单位"),
    }
    assert not any(p.text.startswith(("报：", "送：")) or "李小三" in p.text
                   for p in bulletin.passages())


def test_references(bulletin: Document) -> None:
    assert [r.title for r in bulletin.references] == [
        "大理州新时期产业工人队伍建设改革联动工作机制（试行）",
        "大理州新时期产业工人队伍建设改革责任书",
        "大理州企业民主管理工作意见",
        "大理州多维度工作体系促产改推深走实",
    ]
    assert all(r.doc_number is None for r in bulletin.references)


def test_text_is_clean(bulletin: Document) -> None:
    text = bulletin.text
    assert "**" not in text
    assert "6次召开专门会议" in text and "4.4万人左右" in text and "1600名农民工" in text
    assert "每年安排300万元的专项工作经费，着力完善法治保障" in text
    assert "践行社会主义核心价值观，抓实党史学习教育" in text
    assert bulletin.extra == {"policy_measures": "24", "policy_measures_breakdown":
                              "州委、州政府：6；州产业工人队伍建设改革协调领导小组：2；领导小组成员单位：16"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_every_encoding_gives_the_same_document(bulletin: Document, tmp_path: Path,
                                                encoding: str) -> None:
    path = tmp_path / "gaigekuaibao-2021-12.txt"
    path.write_bytes(reference_text().encode(encoding))
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    (doc,) = parse_file(path)
    assert doc.source is not None and doc.source.sha256 != bulletin.source.sha256  # type: ignore[union-attr]
    mine = {k: v for k, v in doc.to_dict().items() if k not in ("source", "sources")}
    theirs = {k: v for k, v in bulletin.to_dict().items() if k not in ("source", "sources")}
    assert mine == theirs


def test_office_and_date_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "jianbao.txt"
    path.write_text("工作简报\n\n第 5 期\n\n示例县人民政府办公室编    2022 年 3 月 1 日\n\n"
                    "示例县推进“放管服”改革见实效\n\n今年以来，示例县持续深化“放管服”改革，"
                    "政务服务事项网上可办率达到 98%。\n\n报：市政府办公室。\n", encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.doc_type == "bulletin" and doc.kind == "简报"
    assert doc.bulletin is not None
    assert (doc.bulletin.name, doc.bulletin.year, doc.bulletin.number) == ("工作简报", None, 5)
    assert doc.bulletin.office == "示例县人民政府办公室"
    assert doc.date == dt.date(2022, 3, 1)
    assert doc.title == "示例县推进“放管服”改革见实效"
    assert doc.recipients == {"报": ("市政府办公室",)}
    assert [p.text for p in doc.passages()] == [
        "今年以来，示例县持续深化“放管服”改革，政务服务事项网上可办率达到98%。"]
