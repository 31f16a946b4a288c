"""A faster whoosh segment writer for our own analyzers: same segment files, less Python per token.

whoosh's SegmentWriter runs every token through a generator of Token objects, a sorting pool
and, at flush, a per-posting lookup of the document's field length read back from disk. With
tens of millions of postings that is most of an indexing run. :class:`BulkSegmentWriter`
produces the same terms, positions, weights, lengths, stored fields and columns (a test
compares every posting with whoosh's own writer), but for the text fields of our tokenizers:

* a word field keeps each line's words as numbers (:mod:`index.write.words`; a short line is
  cut once per process: titles and boilerplate repeat), a bigram field keeps its text
  (:mod:`index.write.bigrams`), and at flush their terms and positions are made for all
  records at once in numpy;
* one stable sort by term then orders every token by term, record and position (tokens
  come in record and position order), and each posting's value is a slice of one buffer
  of packed positions (:mod:`index.positions`).

A writer holds its tokens in memory, so callers keep segments to a bounded size; at flush one
field's postings exist at a time, as numpy arrays, and become Python objects a chunk of terms
at a time (a Python int or bytes per posting costs ten times its array's bytes).
"""
from __future__ import annotations

import io
import pickle
import zlib
from array import array
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any, Iterator, Sequence

import numpy as np
from whoosh.analysis import CompositeAnalyzer
from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3PerDocWriter,
                                   W3TermInfo, _lenfield)
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from index.analysis import BigramTokenizer, JiebaTokenizer, analysis_fingerprint, normalize_text
from index.write.bigrams import BigramTokens
from index.write.tokens import Tokens
from index.write.words import WordTable, WordTokens
from index.positions import BlockValues, PackedPositions, pack_postings
from index.write.plain import plain_index
from index.write.termbytes import PICKLE_PROTOCOL, block_infos, block_pickles, gather, \
    inline_info_bytes, inline_infos
from index.write.termindex import TermIndexWriter

COMPRESSION = 1  # zlib level (whoosh's default is 3): twice as fast, blocks a little bigger
COMPRESS_MIN = 128  # bytes; smaller blocks are stored as they are
# W3TermInfo's head (struct "!BfIBBfII") and a postings block term's extent ("!q", "!i").
_TERM_HEAD = np.dtype([("inlined", "u1"), ("weight", ">f4"), ("docfreq", ">u4"),
                       ("minlength", "u1"), ("maxlength", "u1"), ("maxweight", ">f4"),
                       ("minid", ">u4"), ("maxid", ">u4")])
_EXTENT = np.dtype([("offset", ">i8"), ("length", ">i4")])
INLINE_MAX = 8  # postings a term's info holds itself (whoosh: none) instead of a postings block
_LENGTH_BYTES = np.array([byte_to_length(b) for b in range(256)], np.int64)  # byte b: length
CHUNK_POSTINGS = 1 << 16  # postings turned into Python objects at once when writing
# Postings per block of a text field (whoosh: 128): ranking reads whole lists, and a block's
# header and unpickling cost as much as hundreds of its postings (index.search.postings).
TEXT_BLOCK_POSTINGS = 512
MEMO_VALUES = 4096  # a field's indexed values remembered (index terms of a repeated value)


_LAST: list[str] = ["", ""]  # the last value normalized, and its normal form


def _normalized(value: str) -> str:
    """normalize_text(value); the body and its bigram twin (the same string, one after the
    other) are normalized once."""
    if value is not _LAST[0]:
        _LAST[:] = value, normalize_text(value)
    return _LAST[1]


_TABLES: dict[tuple[Any, str], WordTable] = {}


def _line_tokenizer(field: Any) -> JiebaTokenizer | BigramTokenizer | None:
    """The tokenizer of a packed-positions field analyzed by one of our tokenizers, else None."""
    ana = field.analyzer if field.indexed else None
    if not isinstance(ana, CompositeAnalyzer) or len(ana.items) != 1:
        return None
    tok = ana.items[0]
    if not isinstance(tok, (JiebaTokenizer, BigramTokenizer)) \
            or type(field.format) is not PackedPositions \
            or field.format.field_boost != 1.0:
        return None
    return tok


def _table_for(tok: JiebaTokenizer) -> WordTable:
    """The process's word table of a word tokenizer."""
    # The analysis fingerprint changes with the dictionary: cached cuts must not outlive it.
    key = (tok.stoplist, analysis_fingerprint())
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = WordTable(tok)
    return table


def _postings(t: Tokens) -> _Postings:
    """A field's postings in term order, from its tokens in record and position order."""
    # Term numbers → rank of the term's bytes (whoosh wants terms in byte order).
    order = sorted(range(len(t.names)), key=t.names.__getitem__)
    rank = np.zeros(int(t.used[-1]) + 1, np.int32)
    rank[t.used[order]] = np.arange(len(order), dtype=np.int32)
    ranks = rank[t.numbers]
    # Tokens arrive in (record, position) order; a stable sort by term keeps that order.
    by_term = np.argsort(ranks, kind="stable")
    ranks, records, positions = ranks[by_term], t.records[by_term], t.positions[by_term]
    del by_term
    new = np.ones(len(ranks), bool)
    new[1:] = (ranks[1:] != ranks[:-1]) | (records[1:] != records[:-1])
    starts = np.flatnonzero(new)
    freqs = np.diff(np.append(starts, len(ranks)))
    post_rank = ranks[starts]
    post_records = records[starts]
    firsts = np.flatnonzero(np.append(True, post_rank[1:] != post_rank[:-1]))
    values = _Values(*pack_postings(positions, starts))  # PackedPositions' bytes
    del positions, ranks, records
    return _Postings([t.names[i] for i in order], np.append(firsts, len(starts)),
                     post_records, freqs.astype(np.float64), values, t.lengths[post_records])


@dataclass(frozen=True)
class _FieldPlan:
    """What add_document needs of one field, looked up once per writer."""

    field: Any
    fast: WordTokens | BigramTokens | None
    indexed: bool
    scorable: bool
    stored: bool
    column: Any
    lenfield: str

    @classmethod
    def of(cls, name: str, field: Any, fast: WordTokens | BigramTokens | None) -> _FieldPlan:
        return cls(field, fast, field.indexed, field.scorable, field.stored, field.column_type,
                   _lenfield(name))


def _column(pdw: Any, name: str, column: Any) -> Any:
    """pdw's writer of a column, made on first use (W3PerDocWriter.add_column_value)."""
    writer = pdw._colwriters.get(name)
    if writer is None:
        pdw._create_column(name, column)
        writer = pdw._colwriters[name]
    return writer


class _Values:
    """Each posting's value: a slice of one buffer of bytes, made when it is asked for."""

    def __init__(self, buf: bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self.buf, self.starts, self.ends = buf, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def slice(self, a: int, b: int) -> _Chunk:
        """The values of postings [a, b)."""
        starts, ends = self.starts[a:b], self.ends[a:b]
        return _Chunk(self.buf, starts.tolist(), ends.tolist(), (ends - starts).tolist())


class _Chunk:
    """Some postings' values, counted from 0: bytes made only for what is pickled as bytes.

    Postings' values lie one after another in the buffer (pack_postings), so a block's
    BlockValues blob is its sizes and one slice of the buffer, not a join of a slice each.
    """

    def __init__(self, buf: bytes, starts: list[int], ends: list[int], sizes: list[int]) -> None:
        self.buf, self.starts, self.ends, self.sizes = buf, starts, ends, sizes

    def __getitem__(self, part: slice) -> list[bytes]:
        buf = self.buf
        return [buf[s:e] for s, e in zip(self.starts[part], self.ends[part])]

    def block(self, a: int, b: int) -> BlockValues:
        """BlockValues.pack(self[a:b]), from one slice of the buffer."""
        sizes = self.sizes[a:b]
        code = "B" if max(sizes, default=0) < 256 else "I"
        blob = self.buf[self.starts[a]:self.ends[b - 1]] if b > a else b""
        return BlockValues(code.encode() + array(code, sizes).tobytes() + blob, b - a)


@dataclass
class _Postings:
    """A field's postings in term order, as arrays over postings (records ascending per term)."""

    terms: list[bytes]
    firsts: np.ndarray  # term k's postings are [firsts[k], firsts[k + 1])
    records: np.ndarray
    weights: np.ndarray
    values: _Values | list[bytes]
    lengths: np.ndarray  # the record's length in the field

    @classmethod
    def from_rows(cls, terms: dict[bytes, list[tuple[int, float, bytes, int]]]) -> _Postings:
        """From term → [(record, weight, value, length)] (whoosh's own field.index path)."""
        names = sorted(terms)
        lists = list(map(terms.__getitem__, names))
        rows = list(chain.from_iterable(lists))
        n = len(rows)
        # Column by column straight into arrays (zip(*rows) makes 4 tuples of 100,000s first).
        return cls(names, np.cumsum([0, *map(len, lists)]),
                   np.fromiter(map(itemgetter(0), rows), np.int64, n),
                   np.fromiter(map(itemgetter(1), rows), np.float64, n),
                   list(map(itemgetter(2), rows)),
                   np.fromiter(map(itemgetter(3), rows), np.int64, n))


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter whose postings stay in memory until commit (see the module docstring)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # whoosh's own per-document writer: its stored fields, lengths and columns are filled
        # in place here, as its add_field and add_column_value would (a call chain per value).
        self._direct = type(self.perdocwriter) is W3PerDocWriter
        self._fast: dict[str, WordTokens | BigramTokens] = {}
        for name, field in self.schema.items():
            tok = _line_tokenizer(field)
            if isinstance(tok, JiebaTokenizer):
                self._fast[name] = WordTokens(_table_for(tok))
            elif tok is not None and self._direct:
                # Its lengths are counted at flush, straight into whoosh's length columns.
                self._fast[name] = BigramTokens()
        self._posts: dict[str, dict[bytes, list[tuple[int, float, bytes, int]]]] = {}
        self._memo: dict[str, dict[Any, tuple]] = {}
        self._checked: set[tuple[str, ...]] = set()  # sets of field names known to the schema
        # Per field, what add_document asks of it, looked up once (30 fields, 10,000s of records).
        self._plans = {name: _FieldPlan.of(name, field, self._fast.get(name)) for name, field in
                       self.schema.items()}
        tindex = getattr(self.fieldwriter, "_tindex", None)
        if type(tindex) is OrderedHashWriter:  # whoosh's term index, its keys taken in chunks
            TermIndexWriter.adopt(tindex)

    def add_document(self, **fields: Any) -> None:
        """Index one record (field name → value); no boosts, vectors or spelling fields."""
        self._check_state()
        pdw = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(fields)
        key = tuple(names)
        if key not in self._checked:  # records come with a few sets of fields: check each once
            self._check_fields(schema, names)
            self._checked.add(key)
        pdw.start_doc(docnum)
        added: list[tuple[Any, Any]] = []  # what this record put in memory, for an undo
        plans, direct = self._plans, self._direct
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                plan = plans[name]
                field = plan.field
                length = 0
                fast = plan.fast
                if fast is not None:
                    length = fast.add(docnum, _normalized(value))
                    added.append((fast, None))
                    if length < 0:  # counted at flush; its column made now, as it would be
                        _column(pdw, plan.lenfield, LENGTHS_COLUMN)
                        pdw._fieldlengths[name] += 0
                        length = 0
                elif plan.indexed:
                    items = self._index(name, field, value)
                    if plan.scorable:
                        length = sum([item[1] for item in items])
                    posts = self._posts.setdefault(name, {})
                    for tbytes, _, weight, vbytes in items:
                        posts.setdefault(tbytes, []).append((docnum, weight, vbytes, length))
                        added.append((posts, tbytes))
                column = plan.column
                if not direct:
                    pdw.add_field(name, field, value if plan.stored else None, length)
                    if column:
                        pdw.add_column_value(name, column, field.to_column_value(value))
                    continue
                if plan.stored:  # W3PerDocWriter.add_field, in place
                    pdw._storedfields[name] = value
                if length:
                    _column(pdw, plan.lenfield, LENGTHS_COLUMN).add(
                        docnum, length_to_byte(length))
                    pdw._fieldlengths[name] += length
                if column:
                    _column(pdw, name, column).add(docnum, field.to_column_value(value))
        except Exception:
            pdw.cancel_doc()
            self._undo(docnum, added)  # else the next record would inherit these postings
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name: str, field: Any, value: Any) -> Sequence[tuple]:
        """field.index(value), remembered per value: a document type, a source file, a year
        repeat over thousands of records, and whoosh's analyzers cost a generator chain each."""
        memo = self._memo.setdefault(name, {})
        try:
            hit = memo.get(value)
        except TypeError:  # a list value: not hashable, not remembered
            return list(field.index(value))
        if hit is None:
            hit = plain_index(field, value)
            if hit is None:
                hit = tuple(field.index(value))
            if len(memo) >= MEMO_VALUES:  # doc_id and the like never repeat
                memo.clear()
            memo[value] = hit
        return hit

    @staticmethod
    def _undo(docnum: int, added: list[tuple[Any, Any]]) -> None:
        for store, key in reversed(added):
            if key is None:
                store.drop(docnum)
            else:
                store[key].pop()
                if not store[key]:
                    del store[key]

    def _flush_segment(self) -> None:
        pdw = self.perdocwriter
        for name, fast in self._fast.items():
            if isinstance(fast, BigramTokens):
                docnums, lengths = fast.lengths()
                if docnums:  # W3PerDocWriter.add_field's, in document order
                    column = pdw._colwriters[_lenfield(name)]
                    for docnum, length in zip(docnums, lengths):
                        column.add(docnum, length_to_byte(length))
                    pdw._fieldlengths[name] += sum(lengths)
        pdw.close()
        fw = self.fieldwriter
        posts, fast = self._posts, self._fast
        self._posts, self._fast = {}, {}
        for name in sorted(set(posts) | set(fast)):
            # One field's postings at a time: the largest field bounds the writer's memory.
            if name in posts:
                postings = _Postings.from_rows(posts.pop(name))
            else:
                tokens = fast.pop(name).tokens()
                if tokens is None:
                    continue
                postings = _postings(tokens)
                del tokens
            field = self.schema[name]
            fw.start_field(name, field)
            _PostingsWriter(fw, field.format.fixed_value_size(), self.codec._blocklimit) \
                .write(postings)
            fw.finish_field()
            del postings
        fw.close()


class _PostingsWriter:
    """Writes one field's posting lists as whoosh's W3PostingsWriter does, a block at a time.

    Block and term statistics are computed for all postings at once in numpy. Our text
    fields' term infos and blocks are pickled for a chunk of terms at once
    (:mod:`index.write.termbytes`), Python only compresses each block; other fields' blocks
    are pickled one by one. Each term's blocks are written at once, at an offset kept here.
    The term index takes a chunk's keys at once (:mod:`index.write.termindex`).
    Blocks under COMPRESS_MIN bytes are stored uncompressed (the block header says so, and
    readers honour it): zlib's per-call setup costs more than it saves on them.
    """

    def __init__(self, fw: Any, fixedsize: int | None, blocklimit: int) -> None:
        self.fw = fw
        self.postfile = fw._postfile
        self.offset = self.postfile.tell()
        self.fixedsize = fixedsize
        self.blocklimit = TEXT_BLOCK_POSTINGS if fixedsize is None or fixedsize < 0 else blocklimit
        self.prefix = pack_ushort(fw._fieldid)
        self.pickle = _Pickler()

    def write(self, p: _Postings) -> None:
        n = len(p.records)
        firsts = p.firsts
        # Blocks: every blocklimit postings of a term; ids delta-coded within a block.
        index_in_term = np.arange(n) - np.repeat(firsts[:-1], np.diff(firsts))
        bstarts = np.flatnonzero(index_in_term % self.blocklimit == 0)
        del index_in_term
        mini = p.records.copy()
        mini[1:] -= p.records[:-1]
        mini[bstarts] = p.records[bstarts]
        bstats = [f.reduceat(a, bstarts) for f, a in (
            (np.maximum, p.weights), (np.minimum, p.weights), (np.minimum, p.lengths),
            (np.maximum, p.lengths))]
        bstats[2:] = map(_length_bytes, bstats[2:])
        tstarts = firsts[:-1]
        tstats = [f.reduceat(a, tstarts) for f, a in (
            (np.add, p.weights), (np.maximum, p.weights), (np.minimum, p.lengths),
            (np.maximum, p.lengths))]
        tstats[2:] = map(_length_bytes, tstats[2:])
        tstats[1] = np.maximum(tstats[1], 0.0)  # the heads' max(weight, 0.0), all at once
        bstats.append(np.maximum(bstats[0], 0.0))  # stats[4]: the block infos' max(top, 0.0)
        term_blocks = np.searchsorted(bstarts, firsts)
        bounds = np.append(bstarts, n)
        # Whole-number weights (term frequencies: nearly every field) go out as Python ints,
        # which is what _mini_weights would make of each block, checked once for the field.
        whole = bool(n) and bool(np.all(np.floor(p.weights) == p.weights)) \
            and 0 <= float(p.weights.min()) and float(p.weights.max()) < 1 << 31
        self.mini = tuple if whole else _mini_weights
        weights = p.weights.astype(np.int64) if whole else p.weights
        # Our text fields: every term's info and block pickled at once (index.write.termbytes).
        fast = whole and isinstance(p.values, _Values) and (
            self.fixedsize is None or self.fixedsize < 0)
        k0, nterms = 0, len(p.terms)
        while k0 < nterms:  # terms [k0, k1) hold at most CHUNK_POSTINGS postings (or one term)
            k1 = int(np.searchsorted(firsts, firsts[k0] + CHUNK_POSTINGS, side="right")) - 1
            k1 = min(max(k1, k0 + 1), nterms)
            a0, a1 = int(firsts[k0]), int(firsts[k1])
            b0, b1 = int(term_blocks[k0]), int(term_blocks[k1])
            if fast:
                self._write_packed(
                    p.terms[k0:k1], firsts[k0:k1 + 1] - a0, term_blocks[k0:k1 + 1] - b0,
                    bounds[b0:b1 + 1] - a0, [x[b0:b1] for x in bstats],
                    [x[k0:k1] for x in tstats], p.records[a0:a1], weights[a0:a1],
                    mini[a0:a1], p.values, a0, a1)
                k0 = k1
                continue
            values = p.values.slice(a0, a1) if isinstance(p.values, _Values) else \
                p.values[a0:a1]
            inlined = None
            if whole and not isinstance(values, _Chunk):  # keyword and ID fields' few postings
                inlined = self._inline_list(firsts[k0:k1 + 1] - a0, [x[k0:k1] for x in tstats],
                                            p.records[a0:a1], weights[a0:a1], values)
            self._write_terms(
                inlined, p.terms[k0:k1], (term_blocks[k0:k1 + 1] - b0).tolist(),
                (bounds[b0:b1 + 1] - a0).tolist(), [x[b0:b1].tolist() for x in bstats],
                [x[k0:k1].tolist() for x in tstats], p.records[a0:a1].tolist(),
                weights[a0:a1].tolist(), mini[a0:a1].tolist(), values)
            k0 = k1

    def _write_packed(self, terms: list[bytes], firsts: np.ndarray, term_blocks: np.ndarray,
                      bounds: np.ndarray, stats: list[np.ndarray], tstats: list[np.ndarray],
                      ids: np.ndarray, weights: np.ndarray, mini_ids: np.ndarray,
                      values: _Values, a0: int, a1: int) -> None:
        """What _write_terms writes for these terms (positions as values, whole weights), with
        the pickles laid out for all terms and blocks at once: Python only compresses blocks."""
        counts = np.diff(firsts)
        inline = counts <= INLINE_MAX
        head_rows = _term_heads(firsts, tstats, ids, inline)
        vstarts, vends = values.starts[a0:a1], values.ends[a0:a1]
        posted = np.repeat(inline, counts)  # postings inline in their term's info
        inlined, inlined_sizes = inline_info_bytes(
            head_rows[inline], counts[inline], ids[posted], weights[posted], values.buf,
            vstarts[posted], vends[posted])
        # The other terms' blocks (an inline term has one block).
        block_term = np.repeat(np.arange(len(terms)), np.diff(term_blocks))
        kept = ~inline[block_term]
        firsts_b = np.zeros(len(block_term), bool)
        firsts_b[term_blocks[:-1][~inline]] = True
        lasts_b = np.zeros(len(block_term), bool)
        lasts_b[term_blocks[1:][~inline] - 1] = True
        bcounts = np.diff(bounds)[kept]
        rest = ~posted
        datas = block_pickles(np.cumsum(bcounts) - bcounts, bcounts, mini_ids[rest],
                              weights[rest], stats[0][kept], stats[1][kept], values.buf,
                              vstarts[rest], vends[rest])
        pre, post = block_infos(bcounts, ids[bounds[1:] - 1][kept], stats[4][kept],
                                stats[2][kept], stats[3][kept])
        out: list[bytes] = []
        sizes: list[int] = []
        compress, level, small, magic = zlib.compress, COMPRESSION, COMPRESS_MIN, \
            WHOOSH3_HEADER_MAGIC
        for data, a, z, first, last in zip(datas, pre, post, firsts_b[kept].tolist(),
                                           lasts_b[kept].tolist()):
            if first:
                out.append(magic)
            comp = b"K\x00"  # the info's compression, pickled (BININT1)
            if len(data) >= small:
                packed = compress(data, level)
                if len(packed) < len(data):
                    comp, data = b"K\x01", packed
            info = a + comp + z
            size = len(info) + len(data)
            sizes.append(size)
            out += (pack_int(-size if last else size), info, data)
        # Each block term's data: the magic, then its blocks with their sizes.
        block_sizes = np.asarray(sizes, np.int64) + 4
        starts = np.flatnonzero(firsts_b[kept])
        lengths = np.add.reduceat(block_sizes, starts) + len(WHOOSH3_HEADER_MAGIC) \
            if len(starts) else block_sizes
        extents = np.zeros(len(starts), _EXTENT)
        extents["length"] = lengths
        extents["offset"] = self.offset + np.cumsum(lengths) - lengths
        tails = np.hstack([head_rows[~inline],
                           extents.view(np.uint8).reshape(len(starts), _EXTENT.itemsize)])
        # Every term's info in term order: inline ones and block ones' heads with extents.
        info_starts = np.empty(len(terms), np.int64)
        info_sizes = np.empty(len(terms), np.int64)
        info_starts[inline] = np.cumsum(inlined_sizes) - inlined_sizes
        info_sizes[inline] = inlined_sizes
        info_starts[~inline] = len(inlined) + tails.shape[1] * np.arange(len(tails))
        info_sizes[~inline] = tails.shape[1]
        infos = gather(np.concatenate([inlined, tails.reshape(-1)]), info_starts, info_sizes)
        self.postfile.write(b"".join(out))
        self.offset += int(lengths.sum())
        prefix = self.prefix
        _add_packed(self.fw._tindex, [prefix + term for term in terms], infos, info_sizes)

    def _inline_list(self, firsts: np.ndarray, tstats: list[np.ndarray], ids: np.ndarray,
                     weights: np.ndarray, values: list[bytes]) -> Iterator[bytes]:
        """The infos of the terms with postings inline, in order, from values as bytes."""
        counts = np.diff(firsts)
        inline = counts <= INLINE_MAX
        posted = np.repeat(inline, counts)
        vbuf, vstarts, vends = None, None, None  # a format without values pickles None
        if self.fixedsize != 0:
            kept = [value for value, flag in zip(values, posted.tolist()) if flag]
            vbuf = b"".join(kept)
            sizes = np.fromiter(map(len, kept), np.int64, len(kept))
            vends = np.cumsum(sizes)
            vstarts = vends - sizes
        return iter(inline_infos(_term_heads(firsts, tstats, ids, inline)[inline],
                                 counts[inline], ids[posted], weights[posted], vbuf, vstarts,
                                 vends))

    def _write_terms(self, inlined: Iterator[bytes] | None, terms: list[bytes],
                     term_blocks: list[int], bounds: list[int], stats: list[list],
                     tstats: list[list], ids: list[int], weights: list[float],
                     mini_ids: list[int], values: _Chunk | list[bytes]) -> None:
        """Some terms' postings, with their blocks and statistics, as lists from 0; inlined,
        if given, the infos of the terms with postings inline (_inline_list), in order."""
        prefix, fixed, _pickle, mini_weights = self.prefix, self.fixedsize, self.pickle, self.mini
        inline_ok = fixed is None or fixed < 0
        keys: list[bytes] = []
        infos: list[bytes] = []
        blocks: list[bytes] = []  # the postings file's bytes for these terms, written at once

        def add(key: bytes, info: bytes) -> None:
            keys.append(key)
            infos.append(info)

        for k, term in enumerate(terms):
            a, b = bounds[term_blocks[k]], bounds[term_blocks[k + 1]]
            if b - a <= INLINE_MAX and inlined is not None:
                add(prefix + term, next(inlined))
                continue
            if b - a <= INLINE_MAX:  # ID and keyword terms too: a doc_id's block cost 60 bytes
                head = W3TermInfo._struct.pack(
                    1, tstats[0][k], b - a, tstats[2][k], tstats[3][k], tstats[1][k],
                    ids[a], ids[b - 1])
                vals = tuple(values[a:b]) if fixed != 0 else (None,) * (b - a)
                add(prefix + term, head + _pickle((tuple(ids[a:b]), mini_weights(weights[a:b]),
                                                   vals)))
                continue
            out = [WHOOSH3_HEADER_MAGIC]
            last_block = term_blocks[k + 1] - 1
            for j in range(term_blocks[k], term_blocks[k + 1]):
                s, e = bounds[j], bounds[j + 1]
                top, low = stats[0][j], stats[1][j]
                w = None if top == 1.0 and low == 1.0 else top if top == low else \
                    mini_weights(weights[s:e])
                if inline_ok:  # ids and weights as arrays numpy reads; positions one blob
                    data = _pickle((_int_array(mini_ids[s:e]), _weight_array(w),
                                    values.block(s, e) if type(values) is _Chunk else
                                    BlockValues.pack(values[s:e])))
                else:
                    vals = tuple(values[s:e])
                    data = _pickle((tuple(mini_ids[s:e]), w,
                                    None if fixed == 0 else b"".join(vals)))
                comp = 0
                if len(data) >= COMPRESS_MIN:
                    packed = zlib.compress(data, COMPRESSION)
                    if len(packed) < len(data):
                        comp, data = COMPRESSION, packed
                info = _pickle((e - s, ids[e - 1], stats[4][j], comp,
                                stats[2][j], stats[3][j]))
                size = len(info) + len(data)
                out += (pack_int(-size if j == last_block else size), info, data)
            data = b"".join(out)
            blocks.append(data)
            head = W3TermInfo._struct.pack(
                0, tstats[0][k], b - a, tstats[2][k], tstats[3][k],
                tstats[1][k], ids[a], ids[b - 1])
            add(prefix + term, head + pack_long(self.offset) + pack_int(len(data)))
            self.offset += len(data)
        self.postfile.write(b"".join(blocks))
        _add_terms(self.fw._tindex, keys, infos)


def _term_heads(firsts: np.ndarray, tstats: list[np.ndarray], ids: np.ndarray,
                inline: np.ndarray) -> np.ndarray:
    """Each term's W3TermInfo head (a row of bytes): terms' postings [firsts[k], firsts[k+1])
    of ids, tstats their (total weight, top weight, min and max length bytes)."""
    heads = np.zeros(len(inline), _TERM_HEAD)
    heads["inlined"] = inline
    heads["weight"], heads["maxweight"] = tstats[0], tstats[1]
    heads["minlength"], heads["maxlength"] = tstats[2], tstats[3]
    heads["docfreq"] = np.diff(firsts)
    heads["minid"], heads["maxid"] = ids[firsts[:-1]], ids[firsts[1:] - 1]
    return heads.view(np.uint8).reshape(len(inline), _TERM_HEAD.itemsize)


def _int_array(values: Sequence[int]) -> array:
    """Non-negative ints in the smallest array numpy reads in place (index.search.postings)."""
    top = max(values, default=0)
    return array("B" if top < 1 << 8 else "H" if top < 1 << 16 else "I", values)


def _weight_array(w: Any) -> Any:
    """A block's weights: None (all 1) and one float as whoosh has them, else an array."""
    if w is None or isinstance(w, float):
        return w
    # _mini_weights gives all ints or all floats: the first says which (no scan of the block).
    return _int_array(w) if isinstance(w[0], int) else array("f", w)


def _add_packed(tindex: Any, keys: list[bytes], values: np.ndarray, sizes: np.ndarray) -> None:
    """_add_terms with the values one after another in one array, and their sizes."""
    if isinstance(tindex, TermIndexWriter):
        tindex.add_packed(keys, values, sizes)
    else:
        data = values.tobytes()
        ends = np.cumsum(sizes).tolist()
        _add_terms(tindex, keys, [data[a:b] for a, b in zip([0] + ends[:-1], ends)])


def _add_terms(tindex: Any, keys: list[bytes], values: list[bytes]) -> None:
    """What OrderedHashWriter.add does for each key, for ascending keys at once."""
    if isinstance(tindex, TermIndexWriter):
        tindex.add_many(keys, values)
    else:
        for key, value in zip(keys, values):
            tindex.add(key, value)


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """whoosh's one-byte lengths (length_to_byte; 0 stands for no length), all at once."""
    out = np.searchsorted(_LENGTH_BYTES, lengths, side="left")  # length_to_byte's bisect
    out[lengths >= _LENGTH_BYTES[-1]] = 255
    out[lengths == 0] = 0
    return out


def _mini_weights(values: Sequence[float]) -> tuple[float, ...] | tuple[int, ...]:
    """A block's weights as pickled: term frequencies as ints (two bytes each, not nine)."""
    ints = tuple(map(int, values))
    return ints if ints == tuple(values) else tuple(_f32(values))


def _f32(values: Sequence[float]) -> list[float]:
    """The values as whoosh's array("f") gives them back (weights are 32-bit floats)."""
    return array("f", values).tolist()


class _Pickler:
    """termbytes.dumps with one pickler and buffer reused (a field pickles ~100,000 small
    tuples)."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.pickler = pickle.Pickler(self.out, PICKLE_PROTOCOL)
        self.pickler.fast = True

    def __call__(self, obj: Any) -> bytes:
        out = self.out
        out.seek(0)
        out.truncate()
        self.pickler.dump(obj)
        return out.getvalue()
