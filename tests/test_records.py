"""The stored record (index.records): every Document comes back exactly, from a real index too."""
from __future__ import annotations

import datetime as dt
import json
import zlib
from pathlib import Path

from index import SearchRequest
from index.records import pack_document, unpack_document
from ingest.model import (AttachmentLink, BulletinInfo, Document, Item, Passage, Reference,
                          Section, Source, table_text)
from tests.docs import build_index, make_doc

ROWS = (("地区", "项目数", "金额（万元）"), ("大理州", "12", ""), ("丽江市", "7", "350.5"))


def _rich() -> Document:
    """A document with every part a record keeps: tables, pages, OCR marks, sources, links."""
    office = "云南省新时期产业工人队伍建设改革工作协调领导小组办公室"
    table = Passage("p2", table_text(ROWS), page=3, section_path=("一、总体情况",), rows=ROWS)
    scanned = Passage("p3", "经扫描识别的一段文字，须核对原件。", page=4, ocr=True,
                      section_path=("一、总体情况", "（一）进展"))
    return Document(
        doc_id="rich", title="关于印发《产业工人队伍建设改革方案》的通知", doc_type="policy",
        kind="通知", date=dt.date(2021, 6, 22), issuer=office, doc_number="云工发〔2021〕12号",
        bulletin=BulletinInfo("改革快报", 2021, 12, 38, office),
        recipients={"主送": ("各州市总工会",), "抄送": ("省委改革办", "各成员单位")},
        references=(Reference("产业工人队伍建设改革方案"), Reference("某通知", "国办发〔2019〕6号")),
        sections=(Section("", 0, (Passage("p1", "现将方案印发给你们，请认真贯彻执行。", page=1),)),
                  Section("一、总体情况", 1, (table, scanned),
                          (Item("一是", "强化党的领导", "p3"),))),
        source=Source("/data/通知.pdf", "pdf", "ab" * 32),
        sources=(Source("/data/通知.pdf", "pdf", "ab" * 32),
                 Source("/data/通知.docx", "docx", "cd" * 32)),
        sample=True, extra={"policy_measures": "24", "supplement": "增刊"}, ocr_pages=(4,),
        attachment_of=AttachmentLink("1", "上级通知", "parent"),
        attachments=(AttachmentLink("1", "方案全文", None), AttachmentLink("2", "名单", "rich-2")))


def test_every_part_of_a_document_round_trips() -> None:
    doc = _rich()
    assert unpack_document(pack_document(doc)) == doc
    assert unpack_document(pack_document(doc)).to_dict() == doc.to_dict()


def test_edge_values_round_trip() -> None:
    """Empty text, a table whose text is not its rows, a lone surrogate, rare Han, one source."""
    odd_table = Passage("p2", "表格的另一种写法", rows=(("甲", "乙"),))
    docs = [
        make_doc("e1", "", [""], doc_type="other"),
        Document(doc_id="e2", title="表", doc_type="other",
                 sections=(Section("", 0, (odd_table, Passage("p3", "", rows=(("",),)))),)),
        make_doc("e3", "坏字符\udcff", ["文本里有孤立代理项\ud800和扩展字𠀀𪚥、〇、㐀"],
                 source=Source("/x.txt", "text", None)),
        make_doc("e4", "一个来源", ["正文"], source=Source("/y.txt", "text", "ef" * 32),
                 sources=(Source("/y.txt", "text", "ef" * 32),)),
        make_doc("e5", "零值", ["第0页"], date=dt.date(1, 1, 1),
                 bulletin=BulletinInfo("刊", 0, 0, 0, "")),
    ]
    for doc in docs:
        # One source in `sources` is `source` (the JSON contract keeps it once): as before.
        expected = Document.from_dict(doc.to_dict())
        assert unpack_document(pack_document(doc)) == expected, doc.doc_id
        assert expected == doc or doc.doc_id == "e4"


def test_a_record_is_smaller_than_its_json() -> None:
    doc = make_doc("中华人民共和国刑法||第一条", "中华人民共和国刑法 第一条",
                   ["为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。"],
                   doc_type="other", source=Source("/data/corpus.jsonl", "jsonl", "d1" * 32),
                   extra={"law": "中华人民共和国刑法", "article": "第一条"})
    as_json = json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")
    # What whoosh stored before: the record's JSON deflated alone (base64 is deflated back).
    packed = zlib.compress(pack_document(doc).encode("ascii"), 9)
    assert len(packed) < 0.75 * len(zlib.compress(as_json, 9))


def test_documents_come_back_from_a_real_index(tmp_path: Path) -> None:
    doc = _rich()
    with build_index(tmp_path / "index", [doc]) as index:
        assert index.get_document("rich") == doc
        hit = index.search(SearchRequest(q="丽江市")).hits[0]
        assert hit.doc_id == "rich"
        assert "丽江市" in hit.passages[0].text.replace("<mark>", "").replace("</mark>", "")




def _column_round_trip(values: list[bytes]) -> tuple[list[bytes], bytes]:
    """What a SharedBytesColumn reads back of values, and its last two bytes (the layout)."""
    from whoosh.filedb.filestore import RamStorage

    from index.columns import SharedBytesColumn

    storage, column = RamStorage(), SharedBytesColumn()
    with storage.create_file("c") as f:
        writer = column.writer(f)
        for docnum, v in enumerate(values):
            if v:  # a record without a value: the writer fills it in
                writer.add(docnum, v)
        writer.finish(len(values))
    f = storage.open_file("c")
    length = storage.file_length("c")
    reader = column.reader(f, 0, length, len(values))
    assert reader[len(values) - 1] == values[-1]
    return list(reader), f.get(length - 2, 2)


def test_shared_columns_keep_every_value() -> None:
    """One file's records (1- or 2-byte references), 70,000 distinct shared values (4-byte
    references: whoosh's RefBytesColumn would drop those past 65,535), all distinct (plain)."""
    n = 160_000
    cases = [([f"/data/part{i // 1000}.jsonl".encode() for i in range(n)], b"Br"),
             ([f"/data/part{i // 300}.jsonl".encode() for i in range(n)], b"Hr"),
             ([f"{(i // 2) % 70_000:06d}".encode() for i in range(n)], b"Ir"),
             ([f"文件{i}.pdf".encode() for i in range(2_000)], b"p")]
    for values, layout in cases:
        values[5] = b""
        got, tail = _column_round_trip(values)
        assert got == values
        assert tail.endswith(layout)


def test_a_card_keeps_what_the_archive_lists() -> None:
    from index.cards import document_card, read_card

    doc = _rich()
    card = read_card("rich", document_card(doc))
    assert (card.title, card.doc_type, card.kind, card.date, card.issuer, card.doc_number) == \
        (doc.title, "policy", "通知", dt.date(2021, 6, 22), doc.issuer, "云工发〔2021〕12号")
    assert card.bulletin == doc.bulletin.to_dict() and card.sample and card.supplement
    assert card.extra == {"policy_measures": "24"}
    assert [(r.title, r.doc_number) for r in card.refs] == \
        [("产业工人队伍建设改革方案", None), ("某通知", "国办发〔2019〕6号")]
    bare = read_card("e3", document_card(make_doc("e3", "坏字符\udcff𠀀", ["正文"], doc_type="other")))
    assert (bare.title, bare.kind, bare.date, bare.bulletin, bare.refs, bare.extra) == \
        ("坏字符\udcff𠀀", None, None, None, (), {})


def test_a_record_lists_the_files_a_document_was_read_from() -> None:
    """What a batch reads of a record (write/batch.py): every source, a lone one included."""
    from index.records import unpack_dict

    one = make_doc("one", "一个来源", ["正文"], source=Source("/a.pdf", "pdf", "ab" * 32))
    assert [s["path"] for s in unpack_dict(pack_document(one))["sources"]] == ["/a.pdf"]
    two = _rich()
    assert [s["path"] for s in unpack_dict(pack_document(two))["sources"]] == \
        ["/data/通知.pdf", "/data/通知.docx"]
    assert "sources" not in unpack_dict(pack_document(make_doc("none", "无来源", ["正文"])))
