"""发文字号 and issue numbers typed in any form find their document first."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from docs import SEED, build_index, make_doc, reference_bulletin
from index import Index, SearchRequest, create_index, setup_analysis
from index.analysis import normalize_text
from index.search.identifiers import find_identifiers, issue_terms
from ingest.model import BulletinInfo
from render import DATA

FORMS = ["{org}〔{year}〕{num}号", "{org}[{year}]{num}号", "{org}（{year}）{num}号",
         "{org}({year}){num}号", "{org}【{year}】{num}号", "{org}［{year}］{num}号"]


# How people type one when they do not copy it: no brackets (a space or 年 after the year),
# no 号, spaces inside, and full width everything (digits, brackets, the ideographic space).
LOOSE_FORMS = ["{org}{year} {num}号", "{org}{year}年{num}号", "{org}〔{year}〕{num}",
               "{org} 〔 {year} 〕 {num} 号"]
FULL_WIDTH = str.maketrans("0123456789 []", "０１２３４５６７８９\u3000［］")


def forms(org: str, year: int, num: int) -> list[str]:
    """Every bracket form, the full-width-digit ones and the loose ones of one 发文字号 (13)."""
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    out = [f.format(org=org, year=year, num=num) for f in FORMS]
    out += [f.format(org=org, year=year, num=num).translate(wide) for f in FORMS[1:3]]
    out += [f.format(org=org, year=year, num=num) for f in LOOSE_FORMS]
    return out + [f"{org}{year} {num}号".translate(FULL_WIDTH)]


# -- recognizing them ------------------------------------------------------------------------

@pytest.mark.parametrize("typed", forms("国办发", 2019, 6))
def test_every_bracket_and_width_form_is_one_number(typed: str) -> None:
    (ident,), rest = find_identifiers(normalize_text(typed))
    assert ident.kind == "doc_number" and ident.terms[0] == "国办发〔2019〕6号"
    assert rest.strip() == ""


ISSUE_FORMS = {"2021年第12期": ("2021年第12期",), "第12期": ("第12期",), "总第38期": ("总第38期",),
               "2021年第12期（总第38期）": ("2021年第12期", "总第38期"),
               "2021 年第 12 期": ("2021年第12期",), "2021年12期": ("2021年第12期",),
               "2021-12": ("2021年第12期",), "２０２１－１２": ("2021年第12期",),
               "第 12 期": ("第12期",), "12期": ("第12期",), "总 第 38 期": ("总第38期",)}


def test_issue_forms() -> None:
    for typed, terms in ISSUE_FORMS.items():
        (ident,), _ = find_identifiers(normalize_text(typed))
        assert (ident.kind, ident.terms) == ("issue", terms), typed
    assert issue_terms(2021, 12, 38) == ("2021年第12期", "第12期", "总第38期")


@pytest.mark.parametrize("typed", ["2021-12-01", "2019-2021", "2021.12", "分3.5期"])
def test_dates_and_ranges_are_not_issue_numbers(typed: str) -> None:
    assert find_identifiers(normalize_text(typed))[0] == []


def test_spaces_inside_an_identifier_keep_it_whole() -> None:
    from index import setup_analysis
    from index.schema import build_schema
    from index.search.query import parse_query

    setup_analysis()
    parsed = parse_query("改革快报 第 12 期 国办发2019 4号", build_schema())
    assert [(c.text, c.ident.terms[0] if c.ident else None) for c in parsed.clauses] == [
        ("改革快报", None), ("第 12 期", "第12期"), ("国办发2019 4号", "国办发〔2019〕4号")]


def test_identifiers_leave_the_other_words() -> None:
    idents, rest = find_identifiers(normalize_text("改革快报 第12期 产业工人"))
    assert [i.text for i in idents] == ["第12期"]
    assert rest.split() == ["改革快报", "产业工人"]
    idents, _ = find_identifiers(normalize_text("根据国办发〔2019〕6号文件"))
    assert "国办发〔2019〕6号" in idents[0].terms  # a longer prefix is tried first, then cut


# -- finding them --------------------------------------------------------------------------------

def numbered_corpus():
    return [
        make_doc("target", "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知",
                 ["各省、自治区、直辖市人民政府：经国务院同意，现就开展治理工作通知如下。"],
                 doc_number="国办发〔2019〕6号", issuer="国务院办公厅"),
        make_doc("cites-1", "关于贯彻落实国办发〔2019〕6号文件的通知",
                 ["为贯彻落实《国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知》（国办发〔2019〕6号），"
                  "现提出如下要求。国办发〔2019〕6号文件要求明确。"]),
        make_doc("cites-2", "幼儿园治理工作简报",
                 ["按照国办发[2019]6号要求，全市开展治理。国办发〔2019〕6号提出的任务全部完成。"],
                 doc_type="bulletin"),
        make_doc("sixteen", "另一份文件", ["正文。"], doc_number="国办发〔2019〕16号"),
        make_doc("other-year", "又一份文件", ["正文。"], doc_number="国办发〔2018〕6号"),
    ]


def bulletins():
    docs = [
        make_doc("kb-5", "劳动竞赛工作简报", ["全州开展劳动竞赛。"], doc_type="bulletin",
                 bulletin=BulletinInfo(name="改革快报", year=2021, number=5, total_number=31)),
        make_doc("jb-12", "工作简报第十二期", ["第12期工作简报，介绍改革快报第12期的经验。"],
                 doc_type="bulletin",
                 bulletin=BulletinInfo(name="工作简报", year=2020, number=12, total_number=40)),
        make_doc("mentions", "学习《改革快报》2021年第12期（总第38期）",
                 ["认真学习《改革快报》2021年第12期（总第38期）刊登的大理州经验。"]),
    ]
    if SEED.exists():
        docs.append(reference_bulletin())
    return docs


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Index:
    index = build_index(tmp_path_factory.mktemp("ids") / "ix", numbered_corpus() + bulletins())
    yield index
    index.close()


def ranked(index: Index, q: str) -> list[str]:
    return [h.doc_id for h in index.search(SearchRequest(q=q, per_page=20)).hits]


@pytest.mark.parametrize("typed", forms("国办发", 2019, 6))
def test_doc_number_in_any_form_finds_its_document_first(ix: Index, typed: str) -> None:
    found = ranked(ix, typed)
    assert found[0] == "target"
    assert set(found) == {"target", "cites-1", "cites-2"}  # mentions follow; 16号 and 2018 do not


def test_doc_number_inside_a_question(ix: Index) -> None:
    assert ranked(ix, "国办发（2019）6号规定了什么？")[0] == "target"
    assert ranked(ix, "幼儿园 国办发[2019]6号")[0] == "target"


def test_doc_number_that_no_document_has(ix: Index) -> None:
    assert ranked(ix, "国办发〔2019〕99号") == []


needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"reference bulletin not at {SEED}")


@needs_seed
@pytest.mark.parametrize("typed", ["2021年第12期", "改革快报 第12期", "第12期 改革快报", "总第38期",
                                   "改革快报 总第38期", "2021年第12期（总第38期）", "２０２１年第１２期"])
def test_issue_numbers_find_the_reference_bulletin_first(ix: Index, typed: str) -> None:
    found = ranked(ix, typed)
    assert found[0] == "gaige-kuaibao-2021-12"
    assert "kb-5" not in found


@needs_seed
@pytest.mark.parametrize("typed", ["2021年12期", "2021-12", "２０２１－１２", "2021 年 12 期",
                                   "改革快报 第 12 期", "改革快报 12期", "第 12 期 改革快报"])
def test_loose_issue_numbers_find_the_reference_bulletin_first(ix: Index, typed: str) -> None:
    found = ranked(ix, typed)
    assert found[0] == "gaige-kuaibao-2021-12"
    assert "kb-5" not in found


BUNDLED = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """The bundled demo corpus: 改革快报 第12期 and a sample 第13期 of the same series."""
    from ingest import parse_file

    docs = [d for f in sorted(BUNDLED.iterdir()) for d in parse_file(f)]
    index = build_index(tmp_path_factory.mktemp("bundled") / "ix", docs)
    yield index
    index.close()


@pytest.mark.parametrize("typed", ["第 12 期", "2021年12期", "2021-12", "12期", "第12期", "总第38期",
                                   "2021年第12期", "改革快报 第 12 期"])
def test_issue_12_outranks_issue_13_of_the_same_series(bundled: Index, typed: str) -> None:
    hits = bundled.search(SearchRequest(q=typed, per_page=5)).hits
    assert hits[0].issue == "《改革快报》2021年第12期（总第38期）"
    assert all("第13期" not in (h.issue or "") for h in hits)


@needs_seed
def test_issue_number_alone_finds_every_bulletin_of_that_number(ix: Index) -> None:
    found = ranked(ix, "第12期")
    assert set(found[:2]) == {"gaige-kuaibao-2021-12", "jb-12"}  # the issues themselves first
    assert "mentions" in found
    assert ranked(ix, "工作简报 第12期")[0] == "jb-12"


# -- every 发文字号 of ../shared/data/govcn_2019 ------------------------------------------------

GOVCN = DATA / "govcn_2019"


@pytest.mark.skipif(not (GOVCN / "documents.jsonl").is_file(),
                    reason=f"shared data not found at {GOVCN}")
def test_every_govcn_doc_number_in_every_form_ranks_its_document_first(tmp_path: Path) -> None:
    import re

    from ingest import parse_file

    setup_analysis()
    gold = [json.loads(line) for line in (GOVCN / "documents.jsonl").open(encoding="utf-8")]
    docs = {}
    for record in gold:
        (doc,) = parse_file(GOVCN / "html" / f"{record['id']}.html")
        docs[record["doc_number"]] = doc
    misses = []
    with create_index(tmp_path / "ix") as index:
        index.add_documents(docs.values())
        for number, doc in docs.items():
            m = re.fullmatch(r"(.+?)〔(\d{4})〕(\d+)号", number)
            for typed in forms(m[1], int(m[2]), int(m[3])):
                hits = index.search(SearchRequest(q=typed, per_page=3)).hits
                if not hits or hits[0].doc_id != doc.doc_id:
                    misses.append((typed, [h.doc_id for h in hits]))
    assert len(docs) == 29
    assert misses == []
