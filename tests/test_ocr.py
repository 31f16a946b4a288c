"""OCR of pages without a text layer: scans the tests make themselves (the reference bulletin
printed, rasterized at 200 dpi), a mixed PDF, the real office scans, and what a missing
tesseract says."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from ingest import ParseError, parse_file
from render import (DATA, POLICY_PARAS, Para, bulletin_paras, reference_text, render_pdf)
from web_support import BULLETIN_TITLE

OFFICE = DATA / "office_files"
SCAN_DPI = 200
OCR_NOTE = "OCR 识别文本，引用前请核对原件"


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference's length, whitespace ignored."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = re.sub(r"\s", "", reference), re.sub(r"\s", "", hypothesis)
    return Levenshtein.distance(ref, hyp) / len(ref)


def rasterize(pdf_path: Path, out: Path, pages: list[int] | None = None) -> Path:
    """An image-only PDF of the given pages (all by default), as a scanner at 200 dpi makes it."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf_path)
    numbers = pages or list(range(len(source)))
    images = [source[i].render(scale=SCAN_DPI / 72).to_pil().convert("L") for i in numbers]
    images[0].save(out, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:])
    source.close()
    return out


def shown_text(doc) -> str:
    """What the document page shows: title, headings and passages."""
    return "\n".join([doc.title] + [s.heading for s in doc.sections] + [doc.text])


@pytest.fixture(scope="module")
def bulletins(tmp_path_factory: pytest.TempPathFactory):
    """The reference bulletin parsed from its text layer and from its 200 dpi scan."""
    folder = tmp_path_factory.mktemp("scan")
    printed = render_pdf(folder / "printed.pdf", bulletin_paras())
    scan = rasterize(printed.path, folder / "scan.pdf")
    (text_doc,) = parse_file(printed.path)
    (ocr_doc,) = parse_file(scan)
    return text_doc, ocr_doc, printed.pages


def test_a_scanned_page_has_no_text_layer_but_is_read(bulletins) -> None:
    import pdfplumber

    text_doc, ocr_doc, pages = bulletins
    assert text_doc.ocr_pages == () and not any(p.ocr for p in text_doc.passages())
    assert ocr_doc.ocr_pages == tuple(range(1, pages + 1))
    assert all(p.ocr for p in ocr_doc.passages())
    with pdfplumber.open(ocr_doc.source.path) as pdf:
        assert sum(len(page.chars) for page in pdf.pages) == 0


def test_ocr_character_error_rate_on_the_scanned_bulletin_is_at_most_2_percent(bulletins) -> None:
    text_doc, ocr_doc, _ = bulletins
    known = re.sub(r"\s|\*\*", "", reference_text())
    for passage in text_doc.passages():  # the text layer is the known text, verbatim
        assert re.sub(r"\s", "", passage.text) in known
    rate = cer(shown_text(text_doc), shown_text(ocr_doc))
    assert rate <= 0.02, f"CER {rate:.2%}"
    assert "，，" not in ocr_doc.text and not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", ocr_doc.text)


def test_the_bulletin_metadata_is_read_exactly_from_the_scan(bulletins) -> None:
    text_doc, ocr_doc, pages = bulletins
    assert ocr_doc.title == BULLETIN_TITLE
    assert ocr_doc.bulletin is not None
    assert (ocr_doc.bulletin.name, ocr_doc.bulletin.year, ocr_doc.bulletin.number,
            ocr_doc.bulletin.total_number) == ("改革快报", 2021, 12, 38)
    assert ocr_doc.date == dt.date(2021, 6, 22)
    assert ocr_doc.bulletin.office == text_doc.bulletin.office
    passage_pages = [p.page for p in ocr_doc.passages()]
    assert passage_pages == sorted(passage_pages) and passage_pages[0] == 1
    assert passage_pages[-1] == pages


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory):
    """A 公文 whose first page is a scan (header, 发文字号, title) and whose second is text."""
    import pypdfium2 as pdfium

    folder = tmp_path_factory.mktemp("mixed")
    first = render_pdf(folder / "first.pdf", POLICY_PARAS[:6], page_numbers=False).path
    second = render_pdf(folder / "second.pdf", POLICY_PARAS[6:-2] + [
        Para("三、工作要求"),
        Para("各级工会要把企业民主管理工作列入重要议事日程，每年对照本意见检查一次落实情况，"
             "并将检查结果报州总工会。")] + POLICY_PARAS[-2:], page_numbers=False).path
    combined = pdfium.PdfDocument(rasterize(first, folder / "page1.pdf"))
    combined.import_pages(pdfium.PdfDocument(second))
    combined.save(folder / "mixed.pdf")
    (doc,) = parse_file(folder / "mixed.pdf")
    (text_second,) = parse_file(second)
    return doc, text_second


def test_a_mixed_pdf_keeps_its_text_page_verbatim(mixed) -> None:
    doc, text_second = mixed
    assert doc.ocr_pages == (1,)
    on_page_2 = [(p.text, p.ocr) for p in doc.passages() if p.page == 2]
    verbatim = [(p.text, False) for p in text_second.passages()]  # its 落款 too, lacking a title
    assert len(on_page_2) >= 4 and on_page_2 == verbatim[:len(on_page_2)]
    assert [p.ocr for p in doc.passages() if p.page == 1] == [True]  # 为保障… (主送 is metadata)
    assert doc.title == "示例州总工会关于加强企业民主管理工作的意见"
    assert doc.doc_number == "示工发〔2020〕15号"
    assert doc.date == dt.date(2020, 5, 18)  # the 落款 on the text page
    first = next(doc.passages())
    assert (first.page, first.ocr) == (1, True)
    assert cer("为保障产业工人的民主管理权益，根据《企业民主管理规定》（中办发〔2012〕12号），"
               "结合本州实际，提出如下意见。", first.text) <= 0.04  # 2 of 56: 〔〕 are read as [ ]


def test_the_ocr_flag_travels_through_the_index_to_the_api_and_page(mixed, tmp_path: Path) -> None:
    from search_app import create_app
    from search_app.store import close_index
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    doc, _ = mixed
    prepare_analysis()
    summary = ingest_into_index([Path(doc.source.path)], tmp_path / "ix")
    assert summary.failures == ()
    app = create_app({"TESTING": True, "INDEX_PATH": tmp_path / "ix"})
    try:
        client = app.test_client()
        body = client.get(f"/api/documents/{doc.doc_id}").get_json()
        flags = [(p["page"], p["ocr"]) for s in body["sections"] for p in s["passages"]]
        assert flags == [(1, True)] + [(2, False)] * (len(flags) - 1)
        assert body["ocr_pages"] == [1]
        hits = client.get("/api/search?q=民主管理权益").get_json()["results"]
        assert [(h["doc_id"], [p["ocr"] for p in h["passages"]][:1]) for h in hits] == [
            (doc.doc_id, [True])]
        page = client.get(f"/documents/{doc.doc_id}").get_data(as_text=True)
        assert page.count(OCR_NOTE) == 1  # on the OCR'd passage, not on page 2's
    finally:
        close_index(app)


def test_missing_tesseract_names_the_debian_package(mixed, tmp_path: Path, monkeypatch) -> None:
    doc, _ = mixed
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on the PATH
    with pytest.raises(ParseError) as caught:
        parse_file(Path(doc.source.path))
    assert caught.value.reason == ("PDF 有页面没有文字层，需要 OCR，但未安装 tesseract"
                                   "（请安装 Debian 软件包 tesseract-ocr 和 tesseract-ocr-chi-sim）")


def test_missing_chinese_model_names_the_debian_package(mixed, tmp_path: Path, monkeypatch) -> None:
    doc, _ = mixed
    tessdata = next((p for p in Path("/usr/share/tesseract-ocr").glob("*/tessdata")), None)
    if tessdata is None or not (tessdata / "eng.traineddata").is_file():
        pytest.skip("tesseract's English model is not installed (tesseract-ocr-eng)")
    only_english = tmp_path / "tessdata"
    only_english.mkdir()
    shutil.copy(tessdata / "eng.traineddata", only_english)
    monkeypatch.setenv("TESSDATA_PREFIX", str(only_english))
    with pytest.raises(ParseError) as caught:
        parse_file(Path(doc.source.path))
    assert caught.value.reason == ("PDF 有页面没有文字层，需要 OCR，但 tesseract 缺少简体中文模型 chi_sim"
                                   "（请安装 Debian 软件包 tesseract-ocr-chi-sim）")


def _office_rows(*kinds: str) -> list[dict]:
    if not (OFFICE / "gold.jsonl").is_file():
        pytest.skip(f"real office files not found at {OFFICE}")
    rows = [json.loads(line) for line in (OFFICE / "gold.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    return [row for row in rows if any(kind in row["kind"] for kind in kinds)]


def _skeleton(text: str) -> str:
    """Letters and digits only: OCR reads 〔〕 as [], () or 【】."""
    return "".join(c for c in text if c.isalnum())


def _near(needle: str, text: str) -> bool:
    """The needle occurs in the text with at most one character misread."""
    from rapidfuzz.distance import Levenshtein

    return any(Levenshtein.distance(needle, text[i:i + len(needle)]) <= 1
               for i in range(max(len(text) - len(needle) + 1, 1)))


def test_real_scans_and_vector_outline_pdfs_are_ingested(tmp_path: Path) -> None:
    rows = _office_rows("pdf-scanned", "pdf-mixed", "pdf-vector-notext")
    assert len(rows) == 3
    for row in rows:
        (doc,) = parse_file(OFFICE / row["file"])
        if "mixed" in row["kind"]:
            assert doc.ocr_pages == (1,), row["file"]  # the scanned cover notice, not the plan
        else:
            assert doc.ocr_pages == tuple(range(1, row["pages"] + 1)), row["file"]
        number = row["gold"]["doc_number"]
        read = _skeleton(f"{doc.doc_number or ''}{shown_text(doc)}")
        assert _near(_skeleton(number.split()[0]), read), (row["file"], number)
        assert len(doc.text) > 1000, row["file"]
        # title, issuer and 成文日期 exactly, through the red seal over the date and the red header
        gold = row["gold"]
        assert (doc.title, doc.issuer, doc.date.isoformat() if doc.date else None) == (
            gold["title"], gold["issuer"].split("（")[0],
            (gold.get("date_written") or gold["date"])[:10]), row["file"]
