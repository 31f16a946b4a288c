"""A notice and its attachments (附件) read from one folder: each attachment shown as
《notice》的附件N with the notice's issuer, 发文字号 and date, the notice listing them all;
files of different names that hold one document merged; namesakes in two folders kept apart."""
from __future__ import annotations

import datetime as dt
from html import escape as html_escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from batch_support import all_ids, found, ingest_in_process
from index import open_index
from ingest.attachments import link_attachments, listed, mark_inline_attachments
from ingest.batch import group_sources, parse_group
from ingest.model import AttachmentLink, Document, Passage, Section, Source
from ingest.variants import merge_variants
from render import POLICY_PARAS, Para, render_docx, render_pdf
from search_app import create_app
from search_app.cli import cli

NOTICE = "示例州总工会关于开展劳动竞赛的通知"
OF = f"《{NOTICE}》的附件"
SCORING = "评分实行百分制，技能比武占六十分，合理化建议占二十分，节能降耗占二十分。"


def ingest(*args: object) -> tuple[int, dict[str, int], dict]:
    """`gongwen ingest ARGS --report R` in process: (exit code, summary counts, report)."""
    code, counts, _, report = ingest_in_process(*args)
    return code, counts, report


def write_scoring(folder: Path, rule: str = SCORING) -> Path:
    """The DOCX attachment that says which it is on its first line: 附件2."""
    return render_docx(folder / "评分细则.docx", [("附件2", None), ("劳动竞赛评分细则", "Title"),
                                                (rule, None)])


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    """通知.docx listing three attachments (the list wrapped over lines), two of them here
    (a PDF known by its title, a DOCX by its first line), one not; and a fourth attachment
    the list leaves out, known by its file name."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    render_docx(folder / "通知.docx", [
        ("示例州总工会文件", None), ("示工发〔2021〕7号", None), (NOTICE, "Title"),
        ("各县市总工会：", None),
        ("为激发职工创新活力，决定在全州开展劳动竞赛，现将有关事项通知如下。", None),
        ("附件：1. 《劳动竞赛实施方案》", None), ("2. 《劳动竞赛评分", None), ("细则》", None),
        ("3. 《劳动竞赛报名表》", None),
        ("示例州总工会", None), ("2021年3月8日", None)])
    render_pdf(folder / "实施方案.pdf", [
        Para("劳动竞赛实施方案", 20, "center", 0, 20),
        Para("竞赛围绕技能比武、合理化建议和节能降耗三项内容展开，各单位结合实际选定项目。"),
        Para("竞赛自四月开始，至十月结束，分初赛和决赛两个阶段。")])
    write_scoring(folder)
    render_docx(folder / "附件4 优秀组织奖申报表.docx", [
        ("优秀组织奖申报表", "Title"),
        ("申报单位应填写组织开展竞赛的情况，由县市总工会审核后报送。", None)])
    return folder


def api(index: Path, url: str) -> dict:
    client = create_app({"TESTING": True, "INDEX_PATH": index}).test_client()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_json()


def page(index: Path, url: str) -> str:
    client = create_app({"TESTING": True, "INDEX_PATH": index}).test_client()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


NOTICE_LIST = [
    {"number": "1", "title": "劳动竞赛实施方案", "doc_id": "实施方案"},
    {"number": "2", "title": "劳动竞赛评分细则", "doc_id": "评分细则"},
    {"number": "3", "title": "劳动竞赛报名表", "doc_id": None},
    {"number": "4", "title": "优秀组织奖申报表", "doc_id": "附件4_优秀组织奖申报表"}]


def test_each_attachment_is_shown_as_the_notices_and_inherits_its_metadata(inbox, tmp_path):
    index = tmp_path / "idx"
    code, counts, report = ingest(inbox, "--index", index)
    assert code == 0 and report["failed"] == [], report["failed"]
    assert counts["added"] == 4 and counts["documents"] == 4
    assert all_ids(index) == ["实施方案", "评分细则", "通知", "附件4_优秀组织奖申报表"]

    for doc_id, number in (("实施方案", "1"), ("评分细则", "2"), ("附件4_优秀组织奖申报表", "4")):
        body = api(index, f"/api/documents/{doc_id}")
        assert body["attachment_label"] == f"{OF}{number}", doc_id
        assert body["attachment_of"] == {"number": number, "title": NOTICE, "doc_id": "通知"}
        # Its own text gives none of these: they are the notice's.
        assert (body["issuer"], body["doc_number"], body["date"]) == (
            "示例州总工会", "示工发〔2021〕7号", "2021-03-08"), doc_id
    notice = api(index, "/api/documents/通知")
    assert notice["attachment_label"] is None and notice["attachment_of"] is None
    assert notice["attachments"] == NOTICE_LIST

    html = page(index, "/documents/通知")
    assert ('<li>附件1：<a href="/documents/%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88">'
            "劳动竞赛实施方案</a></li>") in html
    assert '<li>附件3：劳动竞赛报名表<span class="missing">（未收录）</span></li>' in html
    assert "优秀组织奖申报表</a></li>" in html  # not in the list, linked by its file name
    html = page(index, "/documents/评分细则")
    assert ('<p class="attachment-of"><a href="/documents/%E9%80%9A%E7%9F%A5">'
            f"《{NOTICE}》</a>的附件2</p>") in html
    assert "<th scope=\"row\">发文字号</th>" in html and "示工发〔2021〕7号" in html
    # Cited through its notice, with the notice's number, issuer and date.
    cited = api(index, "/api/documents/评分细则")["citation"]["text"]
    assert cited == (f"示例州总工会. 劳动竞赛评分细则: {NOTICE}附件2: 示工发〔2021〕7号[Z/OL]. "
                     f"(2021-03-08)[{dt.date.today().isoformat()}]. "
                     "http://localhost/documents/%E8%AF%84%E5%88%86%E7%BB%86%E5%88%99.")
    assert html_escape(cited) in html

    hits = api(index, "/api/search?q=技能比武占六十分")
    assert [(h["doc_id"], h["attachment_label"]) for h in hits["results"]] == [
        ("评分细则", f"{OF}2")]
    assert f'<p class="attachment-of">{OF}2</p>' in page(index, "/search?q=技能比武占六十分")
    # The notice's filters find its attachments: they carry its 发文字号.
    by_number = api(index, "/api/search?q=竞赛&doc_number=示工发〔2021〕7号")
    assert {h["doc_id"] for h in by_number["results"]} == {
        "通知", "实施方案", "评分细则", "附件4_优秀组织奖申报表"}


def test_changing_only_the_attachment_keeps_the_link(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    write_scoring(inbox, "评分采用等级制，分为优秀、良好、合格三档。")
    for args in ((inbox,), (inbox / "评分细则.docx",)):  # the folder, then the file alone
        code, _, report = ingest(*args, "--index", index)
        assert code == 0 and report["failed"] == [], report["failed"]
        assert found(index, "等级制") == ["评分细则"] and found(index, "技能比武占六十分") == []
        body = api(index, "/api/documents/评分细则")
        assert (body["attachment_label"], body["doc_number"]) == (f"{OF}2", "示工发〔2021〕7号")
        assert api(index, "/api/documents/通知")["attachments"] == NOTICE_LIST
        write_scoring(inbox, "评分采用等级制，分为优秀、良好、合格三档，另设创新项目。")
    assert all_ids(index) == ["实施方案", "评分细则", "通知", "附件4_优秀组织奖申报表"]


def test_an_unreadable_attachment_fails_alone(inbox, tmp_path):
    (inbox / "附件5.pdf").write_bytes(b"%PDF-1.4 not really")
    index = tmp_path / "idx"
    code, counts, report = ingest(inbox, "--index", index)
    assert code != 0
    assert report["failed"] == [{"path": str((inbox / "附件5.pdf").resolve()),
                                 "reason": "PDF 已损坏或不完整"}]
    assert counts["added"] == 4 and counts["documents"] == 4
    assert api(index, "/api/documents/评分细则")["attachment_label"] == f"{OF}2"
    # Still unreadable: reported again on the next batch, the others stay as they are.
    code, counts, report = ingest(inbox, "--index", index)
    assert [f["path"] for f in report["failed"]] == [str((inbox / "附件5.pdf").resolve())]
    assert all_ids(index) == ["实施方案", "评分细则", "通知", "附件4_优秀组织奖申报表"]


def test_a_docx_and_a_pdf_of_different_names_with_one_doc_number_are_one_document(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    docx = render_docx(folder / "意见.docx", [(p.text, None) for p in POLICY_PARAS])
    pdf = render_pdf(folder / "示工发2020-15 印发稿.pdf", POLICY_PARAS).path
    index = tmp_path / "idx"
    code, counts, report = ingest(folder, "--index", index)
    assert code == 0 and report["failed"] == [], report["failed"]
    assert (counts["added"], counts["documents"]) == (2, 1)
    assert all_ids(index) == ["意见"]
    assert found(index, "厂务公开") == ["意见"]
    with open_index(index) as ix:
        doc = ix.get_document("意见")
    assert [(Path(s.path).name, s.format) for s in doc.originals] == [
        ("意见.docx", "docx"), (pdf.name, "pdf")]
    assert doc.doc_number == "示工发〔2020〕15号"
    assert {p.page for p in doc.passages()} == {1}  # pages from the PDF
    assert docx.exists()


def test_namesakes_in_two_folders_are_two_documents(tmp_path):
    (tmp_path / "甲").mkdir()
    (tmp_path / "乙").mkdir()
    one = render_docx(tmp_path / "甲" / "通知.docx",
                      [("关于春季安全检查的通知", "Title"), ("各单位开展春季安全检查。", None)])
    two = render_docx(tmp_path / "乙" / "通知.docx",
                      [("关于秋季运动会的通知", "Title"), ("秋季运动会于十月举行。", None)])
    index = tmp_path / "idx"
    code, counts, report = ingest(tmp_path / "甲", tmp_path / "乙", "--index", index)
    assert code == 0 and report["failed"] == [] and counts["documents"] == 2
    ids = all_ids(index)
    assert len(ids) == 2 and "通知" in ids and ids != ["通知", "通知"]
    assert found(index, "安全检查") != found(index, "运动会")
    with open_index(index) as ix:
        titles = {ix.get_document(i).title: ix.get_document(i).originals[0].path for i in ids}
    assert titles == {"关于春季安全检查的通知": str(one.resolve()),
                      "关于秋季运动会的通知": str(two.resolve())}


def _doc(doc_id: str, text: str, path: str, **kw) -> Document:
    passages = tuple(Passage(f"p{n}", t) for n, t in enumerate(text.split("\n"), start=1))
    return Document(doc_id=doc_id, title=kw.pop("title", doc_id), doc_type="policy",
                    sections=(Section("", 0, passages),),
                    source=Source(path, Path(path).suffix.lstrip(".")), **kw)


BODY = ("为进一步做好安全生产工作，各单位要落实主体责任，开展隐患排查治理，建立健全应急预案，"
        "定期组织演练，确保不发生重大事故。各县市要在五月底前完成辖区内危化品企业的全面检查，"
        "对发现的问题建立台账、限期整改、逐项销号。州安委办将组织督查组开展明查暗访，"
        "对整改不力的单位予以通报批评，情节严重的依法依规追究责任。各单位主要负责人是本单位"
        "安全生产第一责任人，要亲自部署、亲自检查，切实把各项措施落到实处。")


def test_near_identical_text_under_two_names_is_one_document_and_different_text_two():
    a = _doc("a", BODY, "/in/甲.pdf")
    b = _doc("b", BODY.replace("定期", "按时", 1), "/in/乙.html")  # one word changed
    c = _doc("c", BODY[:100] + "其余部分讲的是职工疗休养和文体活动的安排，与安全生产无关。",
             "/in/丙.pdf")
    merged = merge_variants([a, b, c], {"甲": "甲", "乙": "乙", "丙": "丙"})
    # The HTML page's text beats a PDF's: the merged document is known by its name.
    assert [(d.doc_id, [s.path for s in d.originals]) for d in merged] == [
        ("乙", ["/in/乙.html", "/in/甲.pdf"]), ("丙", ["/in/丙.pdf"])]


def test_an_attachment_keeps_metadata_of_its_own():
    notice = _doc("n", "现将方案印发给你们。\n附件：《竞赛方案》\n示例州总工会\n2021年3月8日",
                  "/in/通知.pdf", title="关于印发竞赛方案的通知", issuer="示例州总工会",
                  doc_number="示工发〔2021〕7号", date=dt.date(2021, 3, 8))
    plan = _doc("p", "竞赛方案\n本方案自印发之日起施行。", "/in/方案.pdf", title="竞赛方案",
                issuer="示例州总工会办公室", date=dt.date(2021, 3, 1))
    assert listed(notice) == (AttachmentLink("", "竞赛方案"),)
    linked_notice, linked_plan = link_attachments([notice, plan])
    assert linked_plan.attachment_label == "《关于印发竞赛方案的通知》的附件"
    assert (linked_plan.issuer, linked_plan.doc_number, linked_plan.date) == (
        "示例州总工会办公室", "示工发〔2021〕7号", dt.date(2021, 3, 1))
    assert linked_notice.attachments == (AttachmentLink("", "竞赛方案", "p"),)


def test_attachments_printed_with_their_notice_are_sections_of_it(tmp_path):
    pdf = render_pdf(tmp_path / "通知.pdf", [
        Para("关于开展劳动竞赛的通知", 20, "center", 0, 20),
        Para("现将劳动竞赛实施方案印发给你们，请认真贯彻执行。"),
        Para("附件：劳动竞赛实施方案", 15, "justify", 2),
        Para("示例州总工会", 15, "right", 0, 24),
        Para("2021年3月8日", 15, "right", 0),
        Para("附件1", 15, "left", 0, 60),
        Para("劳动竞赛实施方案", 20, "center", 0, 12),
        Para("竞赛围绕技能比武、合理化建议和节能降耗三项内容展开。")]).path
    [doc] = parse_group((pdf,), "通知").documents
    assert doc.attachments == (AttachmentLink("", "劳动竞赛实施方案", "通知"),)  # not 未收录
    heads = [s.heading for s in doc.sections]
    assert "附件1" in heads
    after = doc.sections[heads.index("附件1"):]
    texts = [p.text for s in after for p in s.passages]
    assert any("节能降耗" in t for t in texts)
    assert all(p.section_path[:1] == ("附件1",) for s in after for p in s.passages)
    before = [p.text for s in doc.sections[:heads.index("附件1")] for p in s.passages]
    assert any("印发给你们" in t for t in before)
    assert mark_inline_attachments(doc) == doc  # marking twice changes nothing
    index = tmp_path / "idx"
    assert ingest(pdf, "--index", index)[0] == 0
    html = page(index, "/documents/通知")
    assert '<li>附件：劳动竞赛实施方案<span class="inline">（印在正文之后）</span></li>' in html
    assert '<h2>附件1</h2>' in html


def test_a_notice_and_its_attachments_are_read_as_one_group(inbox):
    [group] = group_sources(sorted(inbox.iterdir()))
    assert {p.name for p in group.files} == {"通知.docx", "实施方案.pdf", "评分细则.docx",
                                             "附件4 优秀组织奖申报表.docx"}


def test_a_folder_no_longer_read_as_one_group_keeps_its_ids(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    (inbox / "实施方案.pdf").unlink()
    (inbox / "附件4 优秀组织奖申报表.docx").unlink()  # two DOCX are left: read by name now
    code, counts, report = ingest(inbox, "--index", index, "--prune")
    assert code == 0 and report["failed"] == [], report["failed"]
    assert all_ids(index) == ["评分细则", "通知"]
    assert found(index, "技能比武占六十分") == ["评分细则"]
    assert api(index, "/api/documents/通知")["title"] == NOTICE


OFFICE = Path(__file__).resolve().parents[2] / "shared" / "data" / "office_files" / \
    "bailichuan869-commits+zh"


@pytest.mark.skipif(not OFFICE.is_dir(), reason="../shared/data/office_files is not here")
def test_a_real_attachment_pdf_takes_its_notice_page_metadata(tmp_path):
    """财政部's notice page (HTML) and the attachment PDF it links to, which starts with 附件
    and says nothing of the notice."""
    folder = tmp_path / "mof"
    folder.mkdir()
    for name in ("020-关于印发-企业数据资源相关会计处理暂行规定-的通知.html",
                 "020-P020230821585628790308.pdf"):
        (folder / name).write_bytes((OFFICE / name).read_bytes())
    index = tmp_path / "idx"
    code, counts, report = ingest(folder, "--index", index)
    assert code == 0 and report["failed"] == [] and counts["documents"] == 2
    body = api(index, "/api/documents/020-P020230821585628790308")
    assert body["title"] == "企业数据资源相关会计处理暂行规定"
    assert body["attachment_label"] == "《关于印发〈企业数据资源相关会计处理暂行规定〉的通知》的附件"
    assert (body["issuer"], body["doc_number"], body["date"]) == (
        "财政部", "财会〔2023〕11号", "2023-08-01")
    notice = api(index, "/api/documents/020-关于印发-企业数据资源相关会计处理暂行规定-的通知")
    assert notice["attachments"] == [{"number": "", "title": "企业数据资源相关会计处理暂行规定",
                                      "doc_id": "020-P020230821585628790308"}]


def test_a_document_that_only_mentions_a_listed_title_is_not_its_attachment():
    notice = _doc("n", "现将方案印发给你们。\n附件：《劳动竞赛实施方案》\n示例州总工会\n2021年3月8日",
                  "/in/通知.pdf", title="关于印发劳动竞赛实施方案的通知")
    other = _doc("o", "对劳动竞赛实施方案第三条作如下调整。", "/in/调整.pdf",
                 title="关于调整劳动竞赛实施方案的通知")
    plan = _doc("p", "附件\n劳动竞赛\n实施方案\n竞赛分初赛和决赛两个阶段。", "/in/p.pdf", title="")
    linked = link_attachments([notice, other, plan])
    assert [d.attachment_label for d in linked] == [
        None, None, "《关于印发劳动竞赛实施方案的通知》的附件"]
    assert linked[0].attachments == (AttachmentLink("", "劳动竞赛实施方案", "p"),)


def test_gongwen_show_names_the_notice_and_its_attachments(inbox, tmp_path):
    index = tmp_path / "idx"
    ingest(inbox, "--index", index)
    runner = CliRunner()
    shown = runner.invoke(cli, ["show", "评分细则", "--index", str(index)]).output
    assert f"附件于：{OF}2（通知）\n" in shown
    shown = runner.invoke(cli, ["show", "通知", "--index", str(index)]).output
    assert ("附件：\n  - 附件1：劳动竞赛实施方案（实施方案）\n  - 附件2：劳动竞赛评分细则（评分细则）\n"
            "  - 附件3：劳动竞赛报名表（未收录）\n"
            "  - 附件4：优秀组织奖申报表（附件4_优秀组织奖申报表）\n") in shown


@pytest.mark.parametrize("name, number", [
    ("附件1 实施方案", "1"), ("附件 2", "2"), ("附件三：报名表", "3"), ("附件十二", "12"),
    ("附件２", "2"), ("附件：细则", ""), ("附件", ""), ("附件表格", None), ("通知", None)])
def test_the_number_a_file_name_gives(name, number):
    from ingest.attachments import own_number

    doc = _doc("d", "正文。", f"/in/{name}.docx", title="某某细则")
    assert own_number(doc) == number


def test_a_file_gone_from_a_folder_group_keeps_its_document_until_prune(inbox, tmp_path):
    """A folder read as one group that loses a file is read again; the lost file's document
    stays (reported missing), as a lone file's does, and goes with --prune."""
    index = tmp_path / "idx"
    assert ingest(inbox, "--index", index)[0] == 0
    (inbox / "实施方案.pdf").unlink()
    code, _, report = ingest(inbox, "--index", index)
    assert code == 0 and report["failed"] == [], report["failed"]
    assert report["missing"] == [str(inbox / "实施方案.pdf")]
    assert all_ids(index) == ["实施方案", "评分细则", "通知", "附件4_优秀组织奖申报表"]
    code, _, report = ingest(inbox, "--index", index, "--prune")
    assert code == 0 and report["removed"] == [str(inbox / "实施方案.pdf")]
    assert all_ids(index) == ["评分细则", "通知", "附件4_优秀组织奖申报表"]


def _orphan_folder(*issuers: str | None) -> list[Document]:
    """Notices of the given issuers and an attachment (附件2) whose notice is not among them."""
    notices = [_doc(f"n{k}", f"现将有关事项通知如下。\n{issuer or ''}\n2021年3月{k + 1}日",
                    f"/in/通知{k}.pdf", title=f"关于开展第{k}批检查的通知", issuer=issuer)
               for k, issuer in enumerate(issuers)]
    orphan = _doc("o", "附件2\n检查记录表\n检查人员应当逐项填写。", "/in/附件2.pdf", title="检查记录表")
    return notices + [orphan]


def test_an_attachment_without_its_notice_takes_the_issuer_its_whole_folder_agrees_on():
    linked = link_attachments(_orphan_folder("示例州应急管理局", "示例州应急管理局"))
    orphan = linked[-1]
    assert (orphan.attachment_of, orphan.issuer, orphan.extra) == (
        None, "示例州应急管理局", {"issuer_from": "folder"})
    assert [d.extra for d in linked[:-1]] == [{}, {}]
    from search_app.present import metadata_rows
    assert ("发文机关", "示例州应急管理局（推定：同一文件夹的其他文件均由该机关印发）") in \
        metadata_rows(orphan)


@pytest.mark.parametrize("issuers", [("示例州应急管理局", "示例州财政局"), ("示例州应急管理局", None)])
def test_an_attachment_without_its_notice_guesses_no_issuer_when_the_folder_disagrees_or_says_little(
        issuers):
    orphan = link_attachments(_orphan_folder(*issuers))[-1]
    assert (orphan.issuer, orphan.extra) == (None, {})
