"""A small collection of bulletins in the reference bulletin's layout, for the archive tests."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OFFICE = "示例省产业工人队伍建设改革工作协调领导小组办公室"
OTHER_OFFICE = "示例市总工会办公室"
NAME = "改革快报"


@dataclass(frozen=True)
class Issue:
    stem: str
    year: int
    number: int
    total: int
    date: str  # 2021 年 3 月 5 日
    title: str
    office: str = OFFICE
    supplement: bool = False


# 2021: 第1、2、4期 (第3期 missing) and a 增刊; 2022: 第1、3期 (第2期 missing); one issue of a
# bulletin of the same name from another office (another series).
ISSUES = (
    Issue("k2021-01", 2021, 1, 21, "2021 年 1 月 15 日", "全省产改工作会议在昆明召开"),
    Issue("k2021-02", 2021, 2, 22, "2021 年 3 月 5 日", "技能人才评价改革试点启动"),
    Issue("k2021-04", 2021, 4, 24, "2021 年 6 月 30 日", "产业工人技能大赛决赛举行"),
    Issue("k2021-s1", 2021, 1, 25, "2021 年 7 月 1 日", "庆祝建党一百周年产业工人座谈会", supplement=True),
    Issue("k2022-01", 2022, 1, 26, "2022 年 1 月 20 日", "二〇二二年产改工作要点印发"),
    Issue("k2022-03", 2022, 3, 28, "2022 年 5 月 10 日", "劳模工匠进企业宣讲活动综述"),
    Issue("other-2021-07", 2021, 7, 7, "2021 年 8 月 2 日", "市总工会开展夏送清凉活动", office=OTHER_OFFICE),
)


def bulletin_text(issue: Issue) -> str:
    """A bulletin as the reference prints it: masthead, issue line, office, date, title, body."""
    supplement = "增刊\n\n" if issue.supplement else ""
    return (f"{issue.office} {NAME}\n\n{supplement}"
            f"{issue.year} 年第 {issue.number} 期（总第 {issue.total} 期）\n\n"
            f"{issue.office}\n\n{issue.date}\n\n{issue.title}\n\n"
            f"本期报道{issue.title}的情况，各地各单位认真贯彻落实产改部署，取得积极成效。\n\n"
            "报：省委改革办。\n")


def write_collection(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for issue in ISSUES:
        (folder / f"{issue.stem}.txt").write_text(bulletin_text(issue), encoding="utf-8")
    return folder


def build_index(corpus: Path, index_path: Path, expected: int) -> Path:
    """A real index of corpus at index_path, through the library `gongwen ingest` uses."""
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    summary = ingest_into_index([corpus], index_path)
    assert summary.failures == (), summary.failure_lines()
    assert summary.indexed == expected
    return index_path
