"""The measures catalogue (issue 12): policy documents by level and issuer, an office's list
from CSV and XLSX matched against the index, cited titles it lacks, the 24 = 6 + 2 + 16."""
from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from archive_support import build_index

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "corpus" / "gaigekuaibao-2021-12.txt"
RSJ = "大理州人力资源和社会保障局"
RSJ_TITLE = f"{RSJ}关于推进产业工人技能等级认定工作的通知"
PROVINCE_TITLE = "云南省总工会关于加强产业工人队伍建设的意见"
HEADER = ["序号", "文件名称", "发文字号", "出台单位", "出台时间", "备注"]
# by 发文字号 (the office wrote a shorter title), by title (the 《X》 of a 印发 notice, a sample
# row), not collected but cited by the reference bulletin, not collected and cited nowhere.
ROWS = [["1", "关于推进产业工人技能等级认定工作的通知", "大人社发〔2021〕12号", RSJ, "2021年3月", ""],
        ["2", "示例州企业民主管理工作意见", "", "示例州总工会", "2020年5月", "示例"],
        ["3", "大理州企业民主管理工作意见", "", "大理州总工会", "2020年", ""],
        ["4", "大理州职工书屋建设管理办法", "", "大理州总工会", "2021年", ""]]

POLICY = f"""{RSJ}文件

大人社发〔2021〕12号

{RSJ_TITLE}

各县市人力资源和社会保障局：

为贯彻落实新时期产业工人队伍建设改革部署，现就推进企业技能等级认定工作通知如下。

一、扩大认定范围。支持符合条件的企业自主开展技能等级认定。

{RSJ}

2021 年 3 月 1 日
"""
PROVINCE = f"""云南省总工会文件

云工发〔2020〕5号

{PROVINCE_TITLE}

各州（市）总工会：

为推进新时期产业工人队伍建设改革，提出如下意见。

一、加强思想政治引领。

云南省总工会

2020 年 9 月 1 日
"""
CITING = f"""大理州产业工人队伍建设改革协调领导小组办公室 产改简报

2021 年第 3 期（总第 9 期）

大理州产业工人队伍建设改革协调领导小组办公室

2021 年 4 月 8 日

州人社局推进技能等级认定

州人社局印发了《{RSJ_TITLE}》（大人社发〔2021〕12号），5 家企业成为试点单位。

报：省产改办。
"""


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("measures")
    corpus = root / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for name, text in (("policy.txt", POLICY), ("province.txt", PROVINCE),
                       ("citing.txt", CITING)):
        (corpus / name).write_text(text, encoding="utf-8")
    return build_index(corpus, root / "index", 7)


def write_csv(path: Path, rows=ROWS, header=HEADER, encoding="utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def write_xlsx(path: Path) -> Path:
    """The same list as an office keeps it in Excel: a title row above the header, dates as
    dates, a 发文字号 with square brackets and a 示例 column instead of 备注."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["大理州产改配套政策措施清单"])
    sheet.append(["序号", "文件名称", "发文字号", "出台单位", "出台时间", "示例"])
    sheet.append([1, ROWS[0][1], "大人社发[2021]12号", RSJ, dt.datetime(2021, 3, 1), None])
    sheet.append([2, ROWS[1][1], None, "示例州总工会", dt.datetime(2020, 5, 18), "是"])
    sheet.append([])  # a blank row between entries is skipped
    sheet.append([3, ROWS[2][1], None, "大理州总工会", "2020年", None])
    sheet.append([4, ROWS[3][1], None, "大理州总工会", 2021, None])
    book.save(path)
    return path


def _load(runner, index_dir: Path, path: Path):
    from search_app.cli import cli

    return runner.invoke(cli, ["ingest", "--index", str(index_dir), "--measures", str(path)])


# -- the breakdown a bulletin states ----------------------------------------------------------

SEED = ROOT.parent / "shared" / "seed" / "000_5452a5bf9b53dca5.txt"


@pytest.mark.parametrize("path", [
    REFERENCE,
    pytest.param(SEED, marks=pytest.mark.skipif(not SEED.is_file(), reason="../shared absent")),
], ids=["corpus", "seed"])
def test_the_reference_bulletin_states_24_as_6_2_16(path: Path) -> None:
    from ingest.pipeline import parse_file

    (doc,) = parse_file(path)
    assert doc.extra["policy_measures"] == "24"
    assert doc.extra["policy_measures_breakdown"] == (
        "州委、州政府：6；州产业工人队伍建设改革协调领导小组：2；领导小组成员单位：16")


@pytest.mark.parametrize("text, expected", [
    ("24项改革配套政策措施（其中州委、州政府出台6项，领导小组成员单位出台16项），为改革",
     "州委、州政府：6；领导小组成员单位：16"),
    ("12项政策措施（其中省级5项、州级7项）", "省级：5；州级：7"),  # 、 between two counts
    ("12项政策措施（其中省级5项；州、县级共7项）", "省级：5；州、县级：7"),
    ("24项改革配套政策措施，为改革工作提供了有力支持。", None),
    ("9项措施（其中包括技能提升等内容）", None),
    ("9项措施（其中省级9项）", None),  # one part is no breakdown
])
def test_stated_breakdown(text: str, expected: str | None) -> None:
    from ingest.structure.counts import stated_breakdown

    assert stated_breakdown(text) == expected


# -- the office's list ------------------------------------------------------------------------

EXPECTED_DECLARED = [  # (序号, status, matched by, doc_id, sample, citing doc_ids)
    ("1", "已收录", "发文字号", "policy", False, ["citing"]),
    ("2", "已收录", "标题", "sample-policy-minzhu-guanli", True, ["sample-kuaibao-2021-13"]),
    ("3", "未收录", None, None, False, ["gaigekuaibao-2021-12"]),
    ("4", "未收录", None, None, False, []),
]


def _declared(body: dict) -> list[tuple]:
    return [(d["number"], d["status"], d["matched_by"], d["doc_id"], d["sample"],
             [m["doc_id"] for m in d["mentions"]]) for d in body["declared"]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_declared_list_matched_against_the_index(kind, index_dir, tmp_path, runner) -> None:
    from search_app import create_app
    from search_app.store import close_index

    path = write_csv(tmp_path / "清单.csv") if kind == "csv" else write_xlsx(tmp_path / "清单.xlsx")
    result = _load(runner, index_dir, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已载入措施清单：{path}，4 项（其中示例 1 项）\n"

    app = create_app({"TESTING": True, "INDEX_PATH": index_dir})
    try:
        body = app.test_client().get("/api/measures").get_json()
        html = app.test_client().get("/measures").get_data(as_text=True)
    finally:
        close_index(app)
    assert _declared(body) == EXPECTED_DECLARED
    assert body["declared_source"] == str(path.resolve())
    first = body["declared"][0]
    assert (first["title"], first["doc_number"], first["issuer"]) == (
        ROWS[0][1], "大人社发〔2021〕12号" if kind == "csv" else "大人社发[2021]12号", RSJ)
    assert first["date"] == ("2021年3月" if kind == "csv" else "2021年3月1日")
    assert first["mentions"][0]["snippet"] == (
        f"州人社局印发了《{RSJ_TITLE}》（大人社发〔2021〕12号），5家企业成为试点单位。")
    assert first["mentions"][0]["issue"] == "《产改简报》2021年第3期（总第9期）"
    third = body["declared"][2]["mentions"][0]
    assert third["passage_id"] == "p5" and "出台《大理州企业民主管理工作意见》" in third["snippet"]

    rows = re.findall(r'<tr class="declared-row (\w+)">(.*?)</tr>', html, re.S)
    assert [cls for cls, _ in rows] == ["matched", "matched", "missing", "missing"]
    assert '<a href="/documents/policy">' in rows[0][1] and "已收录（按发文字号）" in rows[0][1]
    assert "示例条目" in rows[1][1] and "示例条目" not in rows[0][1] + rows[2][1] + rows[3][1]
    assert '<span class="unindexed">未收录</span>' in rows[2][1]
    assert 'href="/documents/gaigekuaibao-2021-12?at=p5#p5"' in rows[2][1]
    assert "库中无文件引用" in rows[3][1]
    assert "共 4 项，其中库中已收录\n      2 项" in html


@pytest.mark.parametrize("write, message", [
    (lambda p: write_csv(p / "a.csv", header=["序号", "名称", "发文字号"]),
     "措施清单 {path} 的前 5 行中没有表头（须有列：序号、文件名称、发文字号、出台单位、出台时间）"),
    (lambda p: write_csv(p / "a.csv", rows=[ROWS[0], ["2", "", "x", "", "", ""]]),
     "措施清单 {path} 第 3 行没有文件名称"),
    (lambda p: write_csv(p / "a.csv", rows=[]), "措施清单 {path} 没有任何条目"),
    (lambda p: (p / "a.xlsx").write_bytes(b"PK\x03\x04 not really a workbook") and p / "a.xlsx",
     "措施清单 {path} 已损坏或不是 XLSX 文件，无法读取"),
    (lambda p: write_csv(p / "a.csv", rows=[[str(n), f"文件{n}", "", "", "", ""]
                                            for n in range(10_001)]),
     "措施清单 {path} 超过 10000 行"),
    (lambda p: (p / "a.txt").write_text("序号,文件名称") and p / "a.txt",
     "措施清单 {path} 须为 .csv 或 .xlsx 文件"),
])
def test_a_bad_list_is_refused_in_one_line(write, message, index_dir, tmp_path, runner) -> None:
    from search_app.measures import FILE_NAME

    before = (index_dir / FILE_NAME).read_bytes() if (index_dir / FILE_NAME).exists() else None
    path = write(tmp_path)
    result = _load(runner, index_dir, path)
    assert result.exit_code == 1
    assert result.stderr == f"错误：{message.format(path=path)}\n"
    after = (index_dir / FILE_NAME).read_bytes() if (index_dir / FILE_NAME).exists() else None
    assert after == before  # the list loaded before is kept


def test_gbk_csv_from_excel(tmp_path) -> None:
    from search_app.measures import read_measures_file

    (m, *_) = read_measures_file(write_csv(tmp_path / "gbk.csv", encoding="gbk"))
    assert (m.number, m.title, m.doc_number, m.issuer) == ("1", *ROWS[0][1:4])


# -- the catalogue from the index alone --------------------------------------------------------

def test_catalogue_groups_by_level_and_issuer(index_dir, runner) -> None:
    from search_app.cli import cli

    result = runner.invoke(cli, ["measures", "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.stderr
    import json

    body = json.loads(result.stdout)
    assert [(g["level"], g["issuer"], [e["doc_id"] for e in g["entries"]])
            for g in body["groups"]] == [
        ("省级", "云南省总工会", ["province"]),
        ("州（市）级", RSJ, ["policy"]),
        ("州（市）级", "示例州人力资源和社会保障局", ["sample-notice-jineng-jingsai"]),
        ("州（市）级", "示例州总工会", ["sample-policy-minzhu-guanli"]),
    ]
    policy = body["groups"][1]["entries"][0]
    assert {k: policy[k] for k in ("title", "doc_number", "date", "kind", "sample")} == {
        "title": RSJ_TITLE, "doc_number": "大人社发〔2021〕12号", "date": "2021-03-01",
        "kind": "通知", "sample": False}
    assert [m["doc_id"] for m in policy["mentions"]] == ["citing"]
    assert body["stated"] == [{
        "doc_id": "gaigekuaibao-2021-12", "title": "大理州高位推动，系统谋划 以典型引领全面推进改革",
        "issue": "《改革快报》2021年第12期（总第38期）", "total": 24,
        "parts": [{"issuer": "州委、州政府", "count": 6},
                  {"issuer": "州产业工人队伍建设改革协调领导小组", "count": 2},
                  {"issuer": "领导小组成员单位", "count": 16}],
        "adds_up": True, "sample": False}]
    # what the reference bulletin cites and no document carries: 未收录, with where
    unindexed = {c["title"]: [(m["doc_id"], m["passage_id"]) for m in c["mentions"]]
                 for c in body["unindexed"]}
    assert unindexed["大理州新时期产业工人队伍建设改革责任书"] == [("gaigekuaibao-2021-12", "p2")]
    assert unindexed["大理州多维度工作体系促产改推深走实"] == [("gaigekuaibao-2021-12", "p8")]
    assert RSJ_TITLE not in unindexed and "示例州企业民主管理工作意见" not in unindexed


def test_catalogue_text_and_page(index_dir, runner) -> None:
    from search_app import create_app
    from search_app.cli import cli
    from search_app.store import close_index

    text = runner.invoke(cli, ["measures", "--index", str(index_dir)]).stdout
    assert ("  《改革快报》2021年第12期（总第38期）：24项 = 州委、州政府6项 + "
            "州产业工人队伍建设改革协调领导小组2项 + 领导小组成员单位16项") in text.splitlines()
    app = create_app({"TESTING": True, "INDEX_PATH": index_dir})
    try:
        html = app.test_client().get("/measures").get_data(as_text=True)
        doc = app.test_client().get("/documents/gaigekuaibao-2021-12").get_data(as_text=True)
    finally:
        close_index(app)
    stated = re.search(r'<li class="stated".*?</li>', html, re.S).group(0)
    assert " ".join(re.sub(r"<[^>]+>", " ", stated).split()) == (
        "《改革快报》2021年第12期（总第38期） ： 24项 ＝州委、州政府6项＋"
        "州产业工人队伍建设改革协调领导小组2项＋领导小组成员单位16项")
    assert html.index("<h3 class=\"level\">省级</h3>") < html.index("<h3 class=\"level\">州（市）级</h3>")
    assert "<th scope=\"row\">其中</th>\n        <td>州委、州政府6项，州产业工人队伍建设改革协调领导小组2项，" \
           "领导小组成员单位16项</td>" in doc


def test_issuer_levels() -> None:
    from index.search.archive import issuer_level

    assert [issuer_level(i) for i in ("国务院办公厅", "中共中央办公厅 国务院办公厅", "云南省总工会",
                                      "中共云南省委", "大理州人力资源和社会保障局", "昆明市总工会",
                                      "祥云县人民政府", "大理白族自治州总工会", "西藏自治区人民政府",
                                      "昆明市五华区人民政府", "某某协会", None)] == [
        "中央和国家级", "中央和国家级", "省级", "省级", "州（市）级", "州（市）级", "县（市、区）级",
        "州（市）级", "省级", "县（市、区）级", "其他", "其他"]
