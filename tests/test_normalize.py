"""Normalization: CJK spacing, widths, Markdown emphasis, and the repair of page-break cuts."""
from __future__ import annotations

import pytest

from ingest.formats.text import text_blocks
from ingest import page_break_joins
from ingest.normalize import (Block, heading_level, is_sentence_end, join_lines, normalize_inline,
                              remove_cjk_spaces, repair_page_breaks)
from render import reference_text


@pytest.mark.parametrize("raw, clean", [
    ("2021 年第 12 期（总第 38 期）", "2021年第12期（总第38期）"),
    ("州政府坚持高位推动改革，6 次召开专门会议", "州政府坚持高位推动改革，6次召开专门会议"),
    ("规模稳定在 4.4 万人左右", "规模稳定在4.4万人左右"),
    ("号 ， 邮 编 ： 223100 ， 电 话", "号，邮 编：223100，电 话"),
    ("（ 东北片 ）", "（东北片）"),
    ("完善互联网+服务机制 ", "完善互联网+服务机制"),
    ("与沙特 SABIC 等企业合资", "与沙特SABIC等企业合资"),
    ("Open Data Platform 开放", "Open Data Platform开放"),
    ("大理州高位推动，系统谋划 以典型引领全面推进改革", "大理州高位推动，系统谋划 以典型引领全面推进改革"),
])
def test_spaces_around_cjk(raw: str, clean: str) -> None:
    assert normalize_inline(raw) == clean


def test_markdown_emphasis_is_dropped() -> None:
    assert normalize_inline("压紧压实。**五是强化联系指导。**州产改领导小组") == \
        "压紧压实。五是强化联系指导。州产改领导小组"
    assert normalize_inline("二是**瞄准企业抓服务**。为确保") == "二是瞄准企业抓服务。为确保"


def test_full_width_data_becomes_half_width_but_punctuation_stays() -> None:
    assert normalize_inline("国发〔２０１９〕５号，ＡＰＰ与ｗｅｂ") == "国发〔2019〕5号，APP与web"
    punctuation = "（），。《》“”：；、"
    assert normalize_inline(f"甲{punctuation}乙") == f"甲{punctuation}乙"
    assert normalize_inline("国务院办公厅\u3000中央军委办公厅") == "国务院办公厅 中央军委办公厅"


def test_remove_cjk_spaces_for_wrapped_titles() -> None:
    assert remove_cjk_spaces("土 地 使 用 期 限 的 批 复") == "土地使用期限的批复"
    assert remove_cjk_spaces("Open Data 平台") == "Open Data平台"


def test_join_lines_keeps_numbers_whole_and_words_apart() -> None:
    assert join_lines("农民工", "成为") == "农民工成为"
    assert join_lines("达到16", "00名") == "达到1600名"
    assert join_lines("open", "data") == "open data"


@pytest.mark.parametrize("text, final", [
    ("提出如下意见。", True), ("答复如下：", True), ("是否可行？", True), ("“中国梦·劳动美”。”", True),
    ("践行社会主义核心价值观，", False), ("签订了《大理", False), ("探索开展“农业", False),
    ("一、在组织领导上做到“六个强化”", False),
])
def test_sentence_end(text: str, final: bool) -> None:
    assert is_sentence_end(text) is final


@pytest.mark.parametrize("text, level", [
    ("一、总体要求", 1), ("十二、附则", 1), ("（一）营造良好环境。", 2), ("(三)加强监督", 2),
    ("1.监督组。负责监督", 3), ("2．专家组", 3), ("（1）公开内容", 4), ("第九章　附则", 1),
    ("1.07亿元用于培训", None), ("2020年7月10日", None), ("一是强化党的领导。", None),
    ("大理州立足经济社会发展全局", None),
])
def test_heading_levels(text: str, level: int | None) -> None:
    assert heading_level(normalize_inline(text)) == level


def test_reference_bulletin_has_exactly_six_page_break_cuts() -> None:
    blocks = text_blocks(reference_text())
    repaired, joins = repair_page_breaks(blocks)
    expected = [("专项工作经费，着", "力完善法治保障"),
                ("签订了《大理", "州新时期产业工人队伍建设改革责任书》"),
                ("践行社会主义核心价值观，", "抓实党史学习教育"),
                ("全州职业教育在校生", "规模稳定在4.4万人左右"),
                ("攻克环卫行业集体协商难", "关，南涧县"),
                ("探索开展“农业", "产业工人培养计划”")]
    assert len(joins) == 6
    assert [(j.tail[-len(t):], j.head[:len(h)]) for j, (t, h) in zip(joins, expected)] == expected
    assert len(repaired) == len(blocks) - 6
    texts = [b.text for b in repaired]
    assert any("专项工作经费，着力完善法治保障" in t for t in texts)
    assert any("签订了《大理州新时期产业工人队伍建设改革责任书》" in t for t in texts)
    assert any("探索开展“农业产业工人培养计划”，1600名农民工" in t for t in texts)
    assert page_break_joins(reference_text()) == joins


def test_masthead_title_headings_and_distribution_stay_apart() -> None:
    repaired, _ = repair_page_breaks(text_blocks(reference_text()))
    texts = [b.text for b in repaired]
    for line in ("改革工作协调领导小组办公室", "2021年6月22日",
                 "大理州高位推动，系统谋划 以典型引领全面推进改革",
                 "一、在组织领导上做到“六个强化”", "三、在试点工作上做到“三个瞄准”"):
        assert line in texts
    assert texts[-2].startswith("报：") and texts[-1].startswith("送：")


def test_no_join_after_a_finished_sentence_or_before_a_heading() -> None:
    prose = "把产业工人队伍建设作为实施科教兴州、人才强州的重要支撑和基础保障，切实加强对"
    blocks = [Block(prose), Block("二、在推进改革上做到“五个聚焦”"),
              Block(prose + "改革的组织领导。"), Block("产业工人队伍建设改革工作取得较好成效，全州上下形成合力。")]
    repaired, joins = repair_page_breaks(blocks)
    assert joins == [] and repaired == blocks


def test_candidate_limits_where_joins_may_happen() -> None:
    tail = Block("大理州立足经济社会发展全局，把产业工人队伍建设作为实施科教兴州、人才强州的", 1)
    head = Block("重要支撑和基础保障，切实加强对产业工人队伍建设改革工作的组织领导。", 1)
    assert repair_page_breaks([tail, head], lambda a, b: a.page != b.page)[1] == []
    repaired, joins = repair_page_breaks([tail, head])
    assert len(repaired) == 1 and repaired[0].page == 1 and joins[0].head == head.text
