"""Postings read straight from the mapped segment (index.search.postings) are whoosh's own:
for every term of every text field, the same record numbers and weights as whoosh's matcher,
in segments written by our bulk writer and by whoosh's writer (merges and small commits)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import setup_analysis
from index.mapped import MappedStorage
from index.schema import build_schema
from index.search.postings import read_postings
from index.write.bulk import TEXT_BLOCK_POSTINGS, BulkSegmentWriter
from test_bulk import build, corpus_documents
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

TEXT_FIELDS = ("title", "title_bg", "body", "body_bg")


def whoosh_postings(reader, field: str, term: bytes) -> tuple[list[int], list[float]]:
    m = reader.postings(field, term)
    m = getattr(m, "child", m)  # deletions: compare the whole list, as read_postings gives it
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(float(m.weight()))
        m.next()
    return ids, weights


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list:
    setup_analysis()
    return corpus_documents(tmp_path_factory.mktemp("docs"))


@pytest.mark.parametrize("writer_class", [BulkSegmentWriter, SegmentWriter])
def test_every_term_reads_as_whoosh_reads_it(tmp_path: Path, docs: list,
                                             writer_class: type) -> None:
    bulk = writer_class is BulkSegmentWriter
    block = TEXT_BLOCK_POSTINGS if bulk else W3Codec()._blocklimit
    build(tmp_path / "ix", writer_class, docs * 3 if bulk else docs)  # lists of several blocks
    reader = MappedStorage(str(tmp_path / "ix")).open_index("MAIN").reader()
    compared = blocks = 0
    for field in TEXT_FIELDS:
        for term in reader.lexicon(field):
            want_ids, want_weights = whoosh_postings(reader, field, term)
            got = read_postings(reader, field, term)
            assert got is not None, "the mapped segment was not read directly"
            ids, weights = got
            assert ids.dtype == np.int64 and weights.dtype == np.float32
            assert ids.tolist() == want_ids, (field, term)
            assert weights.tolist() == want_weights, (field, term)
            compared += 1
            blocks += len(want_ids) > block
    assert compared > 5000 and blocks > 20  # long lists (several blocks) among them
    assert [len(x) for x in read_postings(reader, "body", "不存在的词语啊")] == [0, 0]
    assert [len(x) for x in read_postings(reader, "no_such_field", "合同")] == [0, 0]


def test_deleted_records_stay_in_the_list(tmp_path: Path, docs: list) -> None:
    """Deletions are the live mask's business (scoring.Corpus): a segment's postings, cached
    by segment, must not change when a later commit deletes one of its records."""
    build(tmp_path / "ix", BulkSegmentWriter, docs)
    ix = MappedStorage(str(tmp_path / "ix")).open_index("MAIN")
    before = read_postings(ix.reader(), "body", "通知")
    assert len(before[0]) > 1
    writer = ix.writer()
    writer.delete_document(int(before[0][0]))
    writer.commit(merge=False)
    reader = ix.reader()
    assert reader.has_deletions()
    after = read_postings(reader, "body", "通知")
    assert after[0].tolist() == before[0].tolist() and after[1].tolist() == before[1].tolist()


@pytest.mark.parametrize("sizes", [[1, 2, 3], [0, 300, 1], [5] * 512, []])
def test_block_values_round_trip(sizes: list[int]) -> None:
    """A block's positions, one blob, come back as whoosh asks for them: by index, in order,
    through pickle (long postings: sizes past a byte)."""
    import pickle

    from index.positions import BlockValues

    values = [bytes((i * 7 + k) % 128 for k in range(n)) for i, n in enumerate(sizes)]
    packed = pickle.loads(pickle.dumps(BlockValues.pack(values), 3))
    assert len(packed) == len(values)
    assert [packed[i] for i in range(len(values))] == values
    assert list(packed) == values
