"""The bulk segment writer changes nothing in what is indexed: every term, posting, position,
weight, length, stored field and column equals whoosh's own writer's (rjieba's words against
jieba's: tests/test_tokens.py)."""
from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from index import setup_analysis
from index.write import bigrams
from index.write.bulk import BulkSegmentWriter
from index.write.plain import plain_index
from index.schema import build_schema, document_record
from ingest import ingest_paths
from render import DATA, REPO

STARD = DATA / "stard_statutes" / "corpus.jsonl.gz"


def corpus_documents(tmp_path: Path) -> list:
    """The bundled corpus, and the first 300 STARD articles when ../shared/data is there."""
    sources = [REPO / "corpus"]
    if STARD.is_file():
        with gzip.open(STARD, "rt", encoding="utf-8") as f:
            lines = list(itertools.islice(f, 300))
        (tmp_path / "stard.jsonl").write_text("".join(lines), encoding="utf-8")
        sources.append(tmp_path / "stard.jsonl")
    report = ingest_paths(sources)
    assert not report.failures
    return list(report.documents)


def build(folder: Path, writer_class: type, docs: list) -> object:
    return build_records(folder, writer_class, [document_record(doc) for doc in docs])


def build_records(folder: Path, writer_class: type, records: list[dict]) -> object:
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(build_schema(), indexname="MAIN")
    writer = writer_class(ix)
    for record in records:
        writer.add_document(**record)
    writer.commit()
    return ix.reader()


def postings(reader, field: str, term: bytes) -> list:
    m = reader.postings(field, term)
    if reader.schema[field].format.supports("positions"):
        return list(m.items_as("positions"))
    return list(m.all_items())


def test_bulk_writer_indexes_exactly_what_whoosh_indexes(tmp_path):
    setup_analysis()
    docs = corpus_documents(tmp_path)
    ours = build(tmp_path / "bulk", BulkSegmentWriter, docs)
    theirs = build(tmp_path / "whoosh", SegmentWriter, docs)
    assert ours.doc_count_all() == theirs.doc_count_all() == len(docs)
    assert same_index(ours, theirs) > 5000


def same_index(ours, theirs) -> int:
    """Assert that two readers hold the same terms, postings, lengths, columns and stored
    fields; the number of terms compared."""
    compared = 0
    for field in build_schema().names():
        if not build_schema()[field].indexed:
            continue
        assert list(ours.lexicon(field)) == list(theirs.lexicon(field)), field
        for term in theirs.lexicon(field):
            a, b = ours.term_info(field, term), theirs.term_info(field, term)
            stats = ("weight", "doc_frequency", "min_length", "max_length", "max_weight",
                     "min_id", "max_id")
            assert [getattr(a, s)() for s in stats] == [getattr(b, s)() for s in stats]
            assert postings(ours, field, term) == postings(theirs, field, term), (field, term)
            compared += 1
        if field in theirs.indexed_field_names():
            assert ours.field_length(field) == theirs.field_length(field)
            assert [ours.doc_field_length(d, field) for d in range(ours.doc_count_all())] == \
                [theirs.doc_field_length(d, field) for d in range(theirs.doc_count_all())]
        if theirs.has_column(field):
            assert list(ours.column_reader(field)) == list(theirs.column_reader(field)), field
    assert [ours.stored_fields(d) for d in range(ours.doc_count_all())] == \
        [theirs.stored_fields(d) for d in range(theirs.doc_count_all())]
    return compared


# Han runs of one character and of many, other letters and digits alone and next to Han
# characters, line breaks and empty lines, text with no token at all, characters beyond the
# Basic Multilingual Plane, kana, full-width forms, lone surrogates, an underscore; stop
# words inside a line, ending one, making one alone; words with dictionary sub-words.
TEXTS = [
    "关于印发《改革快报》2021年第12期的通知",
    "第12期\n\n单\n一二 x_y 3.5%",
    "，。！？……",
    "",
    "𠀀𠀁𠀂 ＡＢＣ１２３ カタカナ 〇一",
    "深化\"放管服\"改革，优化营商环境。\n各省（区、市）人民政府：\n\n哈哈 abc123汉字def",
    "é\ud800漢字 naïve Ⅻ ½ 坏的\udfff文本",
    "改革" * 40 + "\n" + "快报 2021 " * 10,
    "我们的\n的 和\n\n职工和技能的培训的\n中华人民共和国国务院办公厅关于深化产业工人队伍建设改革的意见",
    "的",
]


def test_text_fields_index_every_kind_of_text_as_whoosh_does(tmp_path, monkeypatch):
    """The text fields' tokens are made at flush, in numpy (index.write.words, and bigrams a
    chunk of records at a time): the same terms, positions and lengths as whoosh's writer."""
    setup_analysis()
    monkeypatch.setattr(bigrams, "_CHUNK_CHARS", 30)  # many chunks, records across their edges
    records = [{"doc_id": f"r{i}", "role": "doc", "body": text, "body_bg": text,
                "title": text[:12], "title_bg": text[:12], "issuer": text[-5:]}
               for i, text in enumerate(TEXTS * 3)]
    ours = build_records(tmp_path / "bulk", BulkSegmentWriter, records)
    theirs = build_records(tmp_path / "whoosh", SegmentWriter, records)
    assert same_index(ours, theirs) > 100
    # 关于 于印 印发 take positions 0-2 (and the run's first and last characters 0 and 2).
    assert [p for _, p in ours.postings("body_bg", "改革").items_as("positions")][0] == [3]


def test_a_record_that_fails_leaves_nothing_behind(tmp_path):
    setup_analysis()
    (tmp_path / "ix").mkdir()
    ix = FileStorage(str(tmp_path / "ix")).create_index(build_schema(), indexname="MAIN")
    writer = BulkSegmentWriter(ix)
    writer.add_document(doc_id="first", role="doc", body="职工\n\n技能", title="通知", year=2021)
    # Text fields come before "year" (fields are indexed in name order), so they were taken.
    with pytest.raises(ValueError):
        writer.add_document(doc_id="bad", role="doc", body="坏记录独有词语\n的\n坏", title="坏记录",
                            body_bg="坏记录", year="不是年份")
    writer.add_document(doc_id="good", role="doc", body="职工技能培训", title="通知", year=2021)
    writer.commit()
    reader = ix.reader()
    assert reader.doc_count_all() == 2
    assert reader.stored_fields(1) == {}
    for field in ("body", "body_bg", "title", "title_bg", "doc_id"):
        terms = {t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(field)}
        assert not any("坏" in t or t == "bad" for t in terms), (field, terms)
    # 职工 at 0; each line break one position more, the empty line's too: 技能 at 3.
    assert [(d, p) for d, p in reader.postings("body", "技能").items_as("positions")] == \
        [(0, [3]), (1, [1])]


# Values for ID and KEYWORD fields: empty, spaces of every kind (whoosh splits a KEYWORD on
# space, tab, CR and LF only), repeats, case, CJK, an astral character.
AWKWARD = ["", " ", "a", "a b a", " a\tb\r\nc ", "x\u3000y z\x0bw", "A a A", "中文 中文 英文",
           "国办发〔2019〕3号", "𠀀 x", "a,b c,d", "  lead trail  "]


def test_plain_fields_index_exactly_what_whoosh_indexes():
    """plain_index gives whoosh's own terms, frequencies, weights and values, in its order,
    for every ID and KEYWORD field of the schema it takes, and declines the rest."""
    schema = build_schema()
    taken = set()
    for name, field in schema.items():
        for value in AWKWARD:
            ours = plain_index(field, value)
            if ours is not None:
                taken.add(name)
                assert ours == tuple(field.index(value)), (name, value)
    assert {"doc_id", "doc_type", "source_path", "work", "role", "cites", "titles",
            "originals", "cites_no"} <= taken
    assert not taken & {"issuers", "year", "date", "sample", "body", "title", "issuer"}
    assert plain_index(schema["doc_id"], ["a", "b"]) is None  # a list: whoosh's own path
