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
def test_real_law() -> None:
    (doc,) = parse_file(LAWS / "宪法相关法" / "集会游行示威法(2009-08-27).md")
    assert doc.title == "中华人民共和国集会游行示威法"
    assert doc.date == dt.date(2009, 8, 27)
    first = next(doc.passages())
    assert first.text.startswith("第一条 为了保障公民依法行使集会、游行、示威的权利")
    assert first.section_path == ("第一章 总则",)
    assert sum(1 for p in doc.passages() if p.text.startswith("第")) >= 30
