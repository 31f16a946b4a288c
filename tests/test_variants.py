"""One document, several files: X.docx beside X.pdf is one document with two sources, text
from the DOCX and pages from the PDF; files that only share a name stay apart, with stable ids."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from batch_support import all_ids, found, ingest_in_process
from index import open_index
from ingest.batch import parse_group
from ingest.model import Document, ParseError, Passage, Section, Source
from ingest.variants import merge_variants
from render import POLICY_PARAS, Para, render_docx, render_pdf
from search_app import create_app

# The policy of tests/render.py, lengthened to three pages by eight further measures.
MEASURES = [Para(f"（{n}）第{n}项措施。各县市总工会要把第{n}项措施落到实处，按季度报送进展"
                 f"情况，确保取得实效。" * 3) for n in "三四五六七八九十"]
PARAS = POLICY_PARAS[:-2] + MEASURES + POLICY_PARAS[-2:]
TITLE = "示例州总工会关于加强企业民主管理工作的意见"


def ingest(*args: object) -> tuple[int, dict[str, int], dict]:
    """`gongwen ingest ARGS --report R` in process: (exit code, summary counts, report)."""
    code, counts, _, report = ingest_in_process(*args)
    return code, counts, report


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """意见.docx and 意见.pdf in one folder: the same 公文, written and printed."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    docx = render_docx(folder / "意见.docx", [(p.text, None) for p in PARAS])
    pdf = render_pdf(folder / "意见.pdf", PARAS)
    assert pdf.pages == 3
    return docx, pdf.path


def test_a_docx_and_its_pdf_are_one_document_with_two_sources(pair, tmp_path):
    docx, pdf = pair
    index = tmp_path / "idx"
    code, counts, report = ingest(docx.parent, "--index", index)
    assert code == 0 and report["failed"] == []
    assert counts == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0, "failed": 0,
                      "documents": 1}
    assert all_ids(index) == ["意见"]
    assert found(index, "第七项措施") == ["意见"]  # one hit, not one per file

    with open_index(index) as ix:
        doc = ix.get_document("意见")
    assert (doc.title, doc.issuer, doc.doc_number, str(doc.date)) == (
        TITLE, "示例州总工会", "示工发〔2020〕15号", "2020-05-18")
    assert [(s.path, s.format, s.sha256) for s in doc.originals] == [
        (str(docx.resolve()), "docx", sha256(docx)), (str(pdf.resolve()), "pdf", sha256(pdf))]
    assert doc.source.format == "docx"  # the text is the DOCX's, as written
    # Pages come from the PDF: the ninth measure starts on page 2, the tenth on page 3.
    pages = {p.text[:6]: p.page for p in doc.passages()}
    assert (pages["（九）第九项"], pages["（十）第十项"]) == (2, 3)
    assert all(p.page for p in doc.passages())

    app = create_app({"TESTING": True, "INDEX_PATH": index})
    client = app.test_client()
    body = client.get("/api/documents/意见").get_json()
    assert body["sources"] == [
        {"path": str(docx.resolve()), "format": "docx", "sha256": sha256(docx)},
        {"path": str(pdf.resolve()), "format": "pdf", "sha256": sha256(pdf)}]
    hits = client.get("/api/search?q=第七项措施").get_json()
    assert hits["total"] == 1 and [h["doc_id"] for h in hits["results"]] == ["意见"]
    page = client.get("/documents/意见").get_data(as_text=True)
    assert "<th scope=\"row\">来源文件</th>" in page
    assert "<li>意见.docx（DOCX）</li><li>意见.pdf（PDF）</li>" in page


def test_running_again_changes_nothing_and_losing_the_pdf_keeps_the_document(pair, tmp_path):
    docx, pdf = pair
    index = tmp_path / "idx"
    ingest(docx.parent, "--index", index)
    code, counts, _ = ingest(docx.parent, "--index", index)
    assert code == 0
    assert counts == {"added": 0, "updated": 0, "unchanged": 2, "removed": 0, "failed": 0,
                      "documents": 0}

    pdf.unlink()
    code, counts, report = ingest(docx.parent, "--index", index, "--prune")
    assert code == 0 and report["failed"] == []
    assert counts["updated"] == 1 and counts["documents"] == 1
    assert all_ids(index) == ["意见"] and found(index, "第七项措施") == ["意见"]
    with open_index(index) as ix:
        doc = ix.get_document("意见")
    assert [(s.path, s.format) for s in doc.originals] == [(str(docx.resolve()), "docx")]
    assert doc.title == TITLE
    code, counts, _ = ingest(docx.parent, "--index", index)
    assert counts["unchanged"] == 1 and counts["documents"] == 0


def test_losing_the_docx_keeps_the_document_read_from_the_pdf(pair, tmp_path):
    docx, pdf = pair
    index = tmp_path / "idx"
    ingest(docx.parent, "--index", index)
    docx.unlink()
    code, counts, report = ingest(docx.parent, "--index", index, "--prune")
    assert code == 0 and report["failed"] == []
    assert (counts["updated"], counts["removed"], counts["documents"]) == (1, 1, 1)
    assert all_ids(index) == ["意见"] and found(index, "第七项措施") == ["意见"]
    with open_index(index) as ix:
        doc = ix.get_document("意见")
    assert [(s.path, s.format) for s in doc.originals] == [(str(pdf.resolve()), "pdf")]
    code, counts, _ = ingest(docx.parent, "--index", index)
    assert counts["unchanged"] == 1 and counts["documents"] == 0


def test_a_pdf_added_beside_an_indexed_docx_joins_its_document(pair, tmp_path):
    docx, pdf = pair
    index = tmp_path / "idx"
    held = pdf.rename(tmp_path / pdf.name)
    ingest(docx.parent, "--index", index)
    held.rename(pdf)
    code, counts, report = ingest(docx.parent, "--index", index)
    assert code == 0 and report["failed"] == []
    assert all_ids(index) == ["意见"] and found(index, "第七项措施") == ["意见"]
    with open_index(index) as ix:
        assert [s.format for s in ix.get_document("意见").originals] == ["docx", "pdf"]


def test_the_same_name_holding_two_documents_gives_two_stable_ids(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    other = [Para("示例州总工会关于开展职工书屋建设的通知", 20, "center", 0),
             Para("示工发〔2021〕3号", 15, "center", 0),
             Para("各县市总工会要在年内建成职工书屋二十个，配齐图书，定期开放。")]
    render_docx(folder / "通知.docx", [(p.text, None) for p in PARAS])
    render_pdf(folder / "通知.pdf", other)
    index = tmp_path / "idx"
    code, counts, report = ingest(folder, "--index", index)
    assert code == 0 and report["failed"] == []
    assert counts["documents"] == 2
    assert all_ids(index) == ["通知", "通知-pdf"]
    assert found(index, "职工书屋") == ["通知-pdf"]
    assert found(index, "第七项措施") == ["通知"]
    code, counts, _ = ingest(folder, "--index", index)
    assert counts["unchanged"] == 2 and counts["documents"] == 0


def test_two_notices_named_alike_in_two_folders_are_two_documents(tmp_path):
    a = tmp_path / "办公室"
    b = tmp_path / "人事处"
    for folder, text in ((a, "办公室安排节日值班。"), (b, "人事处组织年度考核。")):
        folder.mkdir()
        render_docx(folder / "通知.docx", [("关于做好有关工作的通知", "Title"), (text, None)])
    index = tmp_path / "idx"
    code, counts, report = ingest(tmp_path / "办公室", tmp_path / "人事处", "--index", index)
    assert code == 0 and report["failed"] == []
    assert counts["added"] == 2 and counts["documents"] == 2
    ids = all_ids(index)
    assert len(ids) == 2 and ids[0] == "通知" and ids[1].startswith("通知-")
    assert found(index, "节日值班") == ["通知"] and found(index, "年度考核") == [ids[1]]
    code, counts, _ = ingest(tmp_path / "办公室", tmp_path / "人事处", "--index", index)
    assert counts == {"added": 0, "updated": 0, "unchanged": 2, "removed": 0, "failed": 0,
                      "documents": 0}
    # A fresh index from the same files gives the same ids: they depend on the files alone.
    ingest(tmp_path / "办公室", tmp_path / "人事处", "--index", tmp_path / "idx2")
    assert all_ids(tmp_path / "idx2") == ids


def _doc(path: str, fmt: str, text: str, **fields: object) -> Document:
    passages = tuple(Passage(f"p{n}", t, page=(n if fmt == "pdf" else None))
                     for n, t in enumerate(text.split("|"), 1))
    return Document(doc_id="x", title=str(fields.pop("title", "标题")), doc_type="policy",
                    sections=(Section("", 0, passages),), source=Source(path, fmt, fmt * 4),
                    **fields)


def test_metadata_the_best_file_lacks_comes_from_the_other():
    word = _doc("/d/x.docx", "docx", "各单位要厉行节约，反对浪费。|严格控制会议数量。")
    printed = _doc("/d/x.pdf", "pdf", "各单位要厉行节约，反对浪费。|严格控制会议数量。",
                   issuer="示例市人民政府办公室", doc_number="示政办发〔2023〕7号")
    [merged] = merge_variants([printed, word], "x")
    assert (merged.source.format, merged.issuer, merged.doc_number) == (
        "docx", "示例市人民政府办公室", "示政办发〔2023〕7号")
    assert [p.page for p in merged.passages()] == [1, 2]
    assert [s.path for s in merged.originals] == ["/d/x.docx", "/d/x.pdf"]


def test_same_doc_number_joins_and_a_different_one_parts_files_whatever_the_text():
    a = _doc("/d/x.docx", "docx", "会议纪要第一部分。", doc_number="示发〔2023〕1号")
    b = _doc("/d/x.pdf", "pdf", "完全不同的一段文字。", doc_number="示发〔2023〕1号")
    assert [d.doc_id for d in merge_variants([a, b], "x")] == ["x"]
    c = _doc("/d/x.pdf", "pdf", "会议纪要第一部分。", doc_number="示发〔2023〕2号")
    assert [d.doc_id for d in merge_variants([a, c], "x")] == ["x", "x-pdf"]


def test_a_damaged_second_file_is_named_in_the_reason(tmp_path):
    docx = render_docx(tmp_path / "x.docx", [("关于节约用电的通知", "Title"), ("节约用电。", None)])
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(ParseError) as raised:
        parse_group((docx, tmp_path / "x.pdf"), "x")
    assert str(raised.value).startswith(f"{docx}: 同名文件 x.pdf 无法读取：")


def test_naming_one_of_the_files_reads_the_pair_again(pair, tmp_path):
    docx, pdf = pair
    index = tmp_path / "idx"
    ingest(docx.parent, "--index", index)
    code, counts, _ = ingest(pdf, "--index", index)
    assert code == 0 and counts["unchanged"] == 2 and counts["documents"] == 0
    pdf.write_bytes(render_pdf(tmp_path / "again.pdf", PARAS[:-3] + PARAS[-2:]).path.read_bytes())
    code, counts, report = ingest(pdf, "--index", index)
    assert code == 0 and report["failed"] == []
    assert counts["updated"] == 2 and counts["documents"] == 1
    assert all_ids(index) == ["意见"] and found(index, "第七项措施") == ["意见"]
    with open_index(index) as ix:
        assert [s.format for s in ix.get_document("意见").originals] == ["docx", "pdf"]


def test_a_web_page_and_its_pdf_are_one_document_read_from_the_page(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    body = "".join(f"<p>{p.text}</p>" for p in PARAS)
    (folder / "意见.html").write_text(
        f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"
        f"<div class='nav'>首页 | 政策文件 | 网站地图</div><div class='article'>{body}</div>"
        "</body></html>", encoding="utf-8")
    render_pdf(folder / "意见.pdf", PARAS)
    index = tmp_path / "idx"
    code, counts, report = ingest(folder, "--index", index)
    assert code == 0 and report["failed"] == [] and counts["documents"] == 1
    assert found(index, "第七项措施") == ["意见"]
    with open_index(index) as ix:
        doc = ix.get_document("意见")
    assert [s.format for s in doc.originals] == ["html", "pdf"]
    assert (doc.title, doc.doc_number) == (TITLE, "示工发〔2020〕15号")
    assert {p.text[:6]: p.page for p in doc.passages()}["（十）第十项"] == 3
