"""PDF extraction: the reference bulletin drawn as a real multi-page PDF, a 公文, real WPS output."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ingest import Document, parse_file
from render import DATA, RenderedPdf, reference_text, render_bulletin_pdf, render_policy_pdf

PAGE_NUMBER = re.compile(r"—\s*\d+\s*—|^-\s*\d+\s*-$|^\d+$|第\s*\d+\s*页")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> RenderedPdf:
    return render_bulletin_pdf(tmp_path_factory.mktemp("pdf") / "gaigekuaibao-2021-12.pdf")


@pytest.fixture(scope="module")
def from_pdf(rendered: RenderedPdf) -> Document:
    (doc,) = parse_file(rendered.path)
    return doc


@pytest.fixture(scope="module")
def from_text(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("txt") / "gaigekuaibao-2021-12.txt"
    path.write_text(reference_text(), encoding="utf-8")
    (doc,) = parse_file(path)
    return doc


def test_the_rendering_is_a_real_test(rendered: RenderedPdf) -> None:
    assert rendered.pages >= 3
    crossing = [text for text, first, last in rendered.spans if first != last]
    assert len(crossing) >= 2


def test_same_metadata_as_the_text_file(from_pdf: Document, from_text: Document) -> None:
    assert from_pdf.source is not None and from_pdf.source.format == "pdf"
    assert from_pdf.bulletin == from_text.bulletin
    assert from_pdf.bulletin is not None and from_pdf.bulletin.name == "改革快报"
    for name in ("title", "doc_type", "kind", "date", "issuer", "recipients", "references",
                 "extra"):
        assert getattr(from_pdf, name) == getattr(from_text, name), name
    assert from_pdf.date == dt.date(2021, 6, 22)
    assert [(s.level, s.heading, s.items) for s in from_pdf.sections] == \
        [(s.level, s.heading, s.items) for s in from_text.sections]


def test_same_passages_as_the_text_file(from_pdf: Document, from_text: Document) -> None:
    assert [(p.id, p.text, p.section_path) for p in from_pdf.passages()] == \
        [(p.id, p.text, p.section_path) for p in from_text.passages()]


def test_no_running_page_numbers(from_pdf: Document) -> None:
    for passage in from_pdf.passages():
        assert not PAGE_NUMBER.search(passage.text), passage.text
    assert "—" not in from_pdf.text


def test_every_passage_starts_on_the_page_it_was_drawn(from_pdf: Document,
                                                       rendered: RenderedPdf) -> None:
    passages = list(from_pdf.passages())
    assert all(p.page is not None for p in passages)
    for passage in passages:
        first, _ = rendered.span_of(passage.text[:12])
        assert passage.page == first, passage.text[:20]
    assert passages[0].page == 1 and passages[-1].page == rendered.pages


def test_a_paragraph_across_a_page_break_is_one_passage(from_pdf: Document,
                                                        rendered: RenderedPdf) -> None:
    crossing = [(text, first) for text, first, last in rendered.spans if first != last]
    texts = [p.text for p in from_pdf.passages()]
    for drawn, first in crossing:
        start = re.sub(r"\s", "", drawn)[:15]
        (passage,) = [p for p in from_pdf.passages() if p.text.startswith(start)]
        assert passage.page == first
        assert passage.text.endswith(re.sub(r"\s", "", drawn)[-10:])
        assert sum(t.startswith(start) for t in texts) == 1


def test_policy_pdf(tmp_path: Path) -> None:
    rendered = render_policy_pdf(tmp_path / "示工发〔2020〕15号.pdf")
    (doc,) = parse_file(rendered.path)
    assert (doc.doc_type, doc.doc_number, doc.kind, doc.issuer, doc.date) == (
        "policy", "示工发〔2020〕15号", "意见", "示例州总工会", dt.date(2020, 5, 18))
    assert doc.title == "示例州总工会关于加强企业民主管理工作的意见"
    assert doc.recipients == {"主送": ("各县市总工会", "州级各产业工会")}
    assert [(r.title, r.doc_number) for r in doc.references] == [
        ("企业民主管理规定", "中办发〔2012〕12号")]
    assert [(s.level, s.heading) for s in doc.sections] == [
        (0, ""), (1, "一、总体要求"), (1, "二、主要任务"), (2, "（一）健全职工代表大会制度"),
        (2, "（二）深化厂务公开")]
    assert all(p.page == 1 for p in doc.passages())
    assert "示例州总工会文件" not in doc.text and "2020年5月18日" not in doc.text


# --- the two real PDFs (WPS output) in ../shared/data/pdfs ---------------------------------

REAL = DATA / "pdfs"
REPORTS = {
    "洪泽区人民政府_2023年政府信息公开工作年度报告.pdf":
        ("洪泽区人民政府2023年政府信息公开工作年度报告", "在政府网站平台主动公开政府信息1136条"),
    "淮安市洪泽区人民政府_2024年政府信息公开工作年度报告.pdf":
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "在政府网站平台主动发布各类政府信息2428条"),
}


@pytest.mark.skipif(not REAL.is_dir(), reason=f"shared data not found at {REAL}")
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_real_pdfs(name: str) -> None:
    title, fact = REPORTS[name]
    (doc,) = parse_file(REAL / name)
    passages = list(doc.passages())
    assert doc.title == title
    assert all(p.page is not None for p in passages)
    assert max(p.page for p in passages) == 5  # type: ignore[type-var]
    for passage in passages:
        assert not re.fullmatch(r"-\s*\d+\s*-", passage.text)
        assert not re.search(r"-\s*[1-5]\s*-$", passage.text), passage.text
    (with_fact,) = [p for p in passages if fact in p.text]
    assert with_fact.page == 1
    assert "一、总体情况" in [s.heading for s in doc.sections]
    assert "五、存在的主要问题及改进情况" in [s.heading for s in doc.sections]


@pytest.mark.skipif(not REAL.is_dir(), reason=f"shared data not found at {REAL}")
def test_real_pdf_paragraph_across_pages() -> None:
    (doc,) = parse_file(REAL / "洪泽区人民政府_2023年政府信息公开工作年度报告.pdf")
    # page 1 ends "严格执行“分", page 2 begins "级审核、先审后发”程序"
    (passage,) = [p for p in doc.passages() if "严格执行“分级审核、先审后发”程序" in p.text]
    assert passage.page == 1
    assert passage.text.startswith("加强区政府门户网站及政务新媒体日常管理")
    assert passage.section_path == ("一、总体情况", "（三）政府信息管理情况")
