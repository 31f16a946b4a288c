"""公文 elements (GB/T 9704-2012): 发文字号, title, 主送, 发文机关, 成文日期, headings, 抄送."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest import Document, normalize_doc_number, parse_date, parse_file

NOTICE = """示例省人民政府办公厅文件

示政办发〔2021〕12 号

示例省人民政府办公厅关于进一步加强
产业工人技能培训工作的通知

各市、县人民政府，省政府各部门、各直属机构：

为贯彻落实《新时期产业工人队伍建设改革方案》（中发〔2017〕14号），经省人民政府同意，现就有关事项通知如下。

一、总体要求

坚持需求导向，到2025年全省技能人才总量达到 600 万人。

二、重点任务

（一）扩大培训规模。

各地要把职业技能培训作为稳就业的重要抓手，全年培训 50 万人次。

1.实施企业职工培训。

（1）企业新录用人员岗前培训。依托企业培训中心开展岗前培训，时长不少于40学时。

（2）在岗职工技能提升培训。

鼓励企业对在岗职工开展技能提升培训，按规定给予补贴。

2.实施农民工职业技能提升计划。重点面向返乡农民工，开展订单式培训。

（二）完善评价机制。推行企业技能人才自主评价。

三、保障措施

各地要将培训资金纳入预算，加强绩效评价。《新时期产业工人队伍建设改革方案》中明确的任务要逐项落实（以下简称《方案》）。

示例省人民政府办公厅

2021年6月30日

（此件公开发布）

抄送：省委各部门，省人大常委会办公厅，省政协办公厅。
"""


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("gongwen") / "示政办发〔2021〕12号 技能培训.txt"
    path.write_text(NOTICE, encoding="utf-8")
    (doc,) = parse_file(path)
    return doc


def test_front_and_back_elements(notice: Document) -> None:
    assert notice.doc_type == "policy"
    assert notice.doc_number == "示政办发〔2021〕12号"
    assert notice.title == "示例省人民政府办公厅关于进一步加强产业工人技能培训工作的通知"
    assert notice.kind == "通知"
    assert notice.issuer == "示例省人民政府办公厅"
    assert notice.date == dt.date(2021, 6, 30)
    assert notice.recipients == {
        "主送": ("各市、县人民政府", "省政府各部门、各直属机构"),
        "抄送": ("省委各部门", "省人大常委会办公厅", "省政协办公厅"),
    }
    assert notice.doc_id == "示政办发_2021_12号_技能培训"


def test_heading_levels_and_section_paths(notice: Document) -> None:
    assert [(s.level, s.heading) for s in notice.sections] == [
        (0, ""),
        (1, "一、总体要求"),
        (1, "二、重点任务"),
        (2, "（一）扩大培训规模"),
        (3, "1.实施企业职工培训"),
        (4, "（1）企业新录用人员岗前培训"),
        (4, "（2）在岗职工技能提升培训"),
        (3, "2.实施农民工职业技能提升计划"),
        (2, "（二）完善评价机制"),
        (1, "三、保障措施"),
    ]
    def starting(prefix: str):
        return next(p for p in notice.passages() if p.text.startswith(prefix))

    assert starting("鼓励企业对在岗职工").section_path == (
        "二、重点任务", "（一）扩大培训规模", "1.实施企业职工培训", "（2）在岗职工技能提升培训")
    assert starting("2.实施农民工职业").section_path == (
        "二、重点任务", "（一）扩大培训规模", "2.实施农民工职业技能提升计划")
    assert starting("（二）完善评价机制").section_path == ("二、重点任务", "（二）完善评价机制")


def test_body_holds_only_the_text(notice: Document) -> None:
    texts = [p.text for p in notice.passages()]
    assert [p.id for p in notice.passages()] == [f"p{n}" for n in range(1, len(texts) + 1)]
    assert texts[0].startswith("为贯彻落实《新时期产业工人队伍建设改革方案》")
    assert "坚持需求导向，到2025年全省技能人才总量达到600万人。" in texts
    for outside in ("示例省人民政府办公厅文件", "示政办发〔2021〕12 号", "2021年6月30日",
                    "（此件公开发布）", "示例省人民政府办公厅"):
        assert outside not in texts
    assert not any(t.startswith(("抄送", "各市、县人民政府")) for t in texts)


def test_references_carry_their_doc_number(notice: Document) -> None:
    assert [(r.title, r.doc_number) for r in notice.references] == [
        ("新时期产业工人队伍建设改革方案", "中发〔2017〕14号")]  # 《方案》 is only an abbreviation


@pytest.mark.parametrize("raw", ["国办发〔2019〕6号", "国办发[2019]6号", "国办发［2019］6号",
                                 "国办发（2019）6号", "国办发(2019)6号", "国办发〔２０１９〕６号",
                                 " 国办发 〔 2019 〕 6 号 ", "国办发〔2019〕第6号", "国办发〔2019〕06号"])
def test_doc_number_variants(raw: str) -> None:
    assert normalize_doc_number(raw) == "国办发〔2019〕6号"


@pytest.mark.parametrize("raw", ["2019年6号", "国办发〔19〕6号", "关于印发国办发〔2019〕6号文件的通知", ""])
def test_not_doc_numbers(raw: str) -> None:
    assert normalize_doc_number(raw) is None


@pytest.mark.parametrize("raw, date", [
    ("2019-01-27", dt.date(2019, 1, 27)), ("2019年1月27日", dt.date(2019, 1, 27)),
    ("2019年01月27日", dt.date(2019, 1, 27)), ("二〇〇六年十月十八日", dt.date(2006, 10, 18)),
    ("一九九六年六月二十九日", dt.date(1996, 6, 29)), ("2019年2月30日", None), ("明天", None),
])
def test_dates(raw: str, date: dt.date | None) -> None:
    assert parse_date(raw) == date


def _parse(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (doc,) = parse_file(path)
    return doc


def test_joint_issuers_and_chinese_numeral_date(tmp_path: Path) -> None:
    doc = _parse(tmp_path, "国务院、中央军委关于同意武警总部\n后勤部机关等迁址新建的批复\n国函〔1996〕95号\n"
                           "武警总部：\n关于武警总部后勤部机关迁址新建的请示收悉，现批复如下：\n"
                           "同意武警总部后勤部机关迁址新建，所需建设资金由你们自筹解决。\n"
                           "国务院　中央军委\n一九九六年十一月五日\n")
    assert doc.title == "国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复"
    assert (doc.issuer, doc.kind, doc.doc_number) == ("国务院、中央军委", "批复", "国函〔1996〕95号")
    assert doc.date == dt.date(1996, 11, 5)
    assert doc.recipients == {"主送": ("武警总部",)}


def test_issuer_from_the_signature_when_the_title_has_none(tmp_path: Path) -> None:
    doc = _parse(tmp_path, "关于开展安全生产大检查的通知\n\n各乡镇，县直各部门：\n\n"
                           "为切实做好安全生产工作，决定在全县开展安全生产大检查。\n\n"
                           "示例县应急管理局\n\n2021年7月1日\n")
    assert (doc.doc_type, doc.title, doc.kind) == ("policy", "关于开展安全生产大检查的通知", "通知")
    assert doc.issuer == "示例县应急管理局" and doc.date == dt.date(2021, 7, 1)
    assert [p.text for p in doc.passages()] == ["为切实做好安全生产工作，决定在全县开展安全生产大检查。"]


def test_a_forwarded_notice_is_issued_by_its_signer_not_the_organ_it_forwards(
        tmp_path: Path) -> None:
    doc = _parse(tmp_path, "转发示例州总工会关于举办职工技能大赛的通知\n\n各乡镇总工会：\n\n"
                           "现将示例州总工会的通知转发给你们，请遵照执行。\n\n"
                           "示例县总工会\n\n2021年3月5日\n")
    assert (doc.issuer, doc.kind, doc.date) == ("示例县总工会", "通知", dt.date(2021, 3, 5))


@pytest.mark.parametrize("title, kind", [
    ("国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "意见"),
    ("国务院办公厅关于黄金经济政策有关问题的复函", "函"),
    ("国务院关于印发《国务院工作规则》的通知", "通知"),
    ("国务院办公厅对全国政协十届四次会议第4626号提案的答复", "答复"),
])
def test_kind_from_the_title(tmp_path: Path, title: str, kind: str) -> None:
    doc = _parse(tmp_path, f"{title}\n国办发〔2019〕1号\n各省、自治区、直辖市人民政府：\n"
                           "现将有关事项通知如下，请认真贯彻执行。\n国务院办公厅\n2019年1月1日\n")
    assert (doc.kind, doc.title) == (kind, title)


def test_enumerations_are_not_headings(tmp_path: Path) -> None:
    doc = _parse(tmp_path, "主刑的种类如下：\n（一）管制；\n（二）拘役；\n（三）有期徒刑；\n（四）死刑。\n")
    assert doc.doc_type == "other"
    assert [(s.level, len(s.passages)) for s in doc.sections] == [(0, 5)]
    assert [p.text for p in doc.passages()][1:] == ["（一）管制；", "（二）拘役；", "（三）有期徒刑；", "（四）死刑。"]
