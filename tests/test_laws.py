"""Laws in the LawRefBook layout: title without the history, version date, 编/章/节/条."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest import parse_file
from render import DATA

LAW = """# 中华人民共和国示例管理法

1989年10月31日 第七届全国人民代表大会常务委员会第十次会议通过

2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正

2010年1月1日 施行

<!-- INFO END -->

## 第一章 总则

第一条 为了规范示例管理，制定本法。

第二条 本法适用于示例活动。

本法所称示例，是指用于说明的样本。

## 第二章 管理

### 第一节 一般规定

第三条 示例管理应当公开透明。

第四条 违反本法的，依法处理。
"""


def test_title_history_version_and_articles(tmp_path: Path) -> None:
    path = tmp_path / "示例管理法.md"
    path.write_text(LAW, encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.title == "中华人民共和国示例管理法"
    # no name date: the latest dated amendment, not the date it takes effect
    assert doc.date == dt.date(2009, 8, 27)
    assert doc.extra["law_history"].splitlines() == [
        "1989年10月31日 第七届全国人民代表大会常务委员会第十次会议通过",
        "2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正",
        "2010年1月1日 施行"]
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("第一章 总则", 1), ("第二章 管理", 1), ("第一节 一般规定", 2)]
    passages = list(doc.passages())
    assert [p.text.split(" ")[0] for p in passages] == ["第一条", "第二条", "第三条", "第四条"]
    assert passages[1].text == "第二条 本法适用于示例活动。\n本法所称示例，是指用于说明的样本。"
    assert passages[2].section_path == ("第二章 管理", "第一节 一般规定")
    assert "通过" not in doc.text and "INFO" not in doc.text


def test_version_date_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "示例管理法(2009-08-28).md"
    path.write_text(LAW, encoding="utf-8")
    (doc,) = parse_file(path)
    assert doc.date == dt.date(2009, 8, 28) and doc.extra["version_date"] == "2009-08-28"


LAWS = DATA / "laws"


@pytest.mark.skipif(not LAWS.is_dir(), reason=f"shared data not found at {LAWS}")
def test_joint_issuers_printed_apart_are_joined_in_the_title(tmp_path: Path) -> None:
    path = tmp_path / "解释.md"
    path.write_text("# 最高人民法院 最高人民检察院关于办理示例刑事案件适用法律若干问题的解释\n\n"
                    "2018年9月17日 最高人民法院审判委员会第1749次会议通过\n\n<!-- INFO END -->\n\n"
                    "第一条 示例。\n", encoding="utf-8")
    doc = parse_file(path)[0]
    assert doc.title == "最高人民法院、最高人民检察院关于办理示例刑事案件适用法律若干问题的解释"


def test_a_case_is_titled_by_its_name_not_its_headline(tmp_path: Path) -> None:
    path = tmp_path / "李某与某购物广场买卖合同纠纷案.md"
    path.write_text("# 销售已过保质期的食品，构成经营者“明知”\n\n<!-- INFO END -->\n\n"
                    "## 李某与某购物广场买卖合同纠纷案\n\n## 裁判要点\n\n食品已过保质期仍销售的，"
                    "构成明知。\n\n## 简要案情\n\n李某购买了过期食品。\n", encoding="utf-8")
    doc = parse_file(path)[0]
    assert doc.title == "李某与某购物广场买卖合同纠纷案"
    assert doc.extra["headline"] == "销售已过保质期的食品，构成经营者“明知”"
    # A case whose # title is its name, and a law whose first heading is a chapter, unchanged.
    path.write_text("# 张某诉某局要求解除行政协议案\n\n<!-- INFO END -->\n\n## 基本案情\n\n"
                    "张某于2016年订立协议。\n", encoding="utf-8")
    assert parse_file(path)[0].title == "张某诉某局要求解除行政协议案"
    path.write_text(LAW, encoding="utf-8")
    assert parse_file(path)[0].title == "中华人民共和国示例管理法"


def test_real_law() -> None:
    (doc,) = parse_file(LAWS / "宪法相关法" / "集会游行示威法(2009-08-27).md")
    assert doc.title == "中华人民共和国集会游行示威法"
    assert doc.date == dt.date(2009, 8, 27)
    first = next(doc.passages())
    assert first.text.startswith("第一条 为了保障公民依法行使集会、游行、示威的权利")
    assert first.section_path == ("第一章 总则",)
    assert sum(1 for p in doc.passages() if p.text.startswith("第")) >= 30
