"""A column for values many records share: each distinct value kept once.

The source file's path and SHA-256, the work's title and the document type repeat across the
records of one JSON Lines file, one law's articles, one attachment's notice: whoosh's plain
column (``VarBytesColumn``) writes them once per record. whoosh's ``RefBytesColumn`` keeps the
distinct values once but drops (with a warning) every distinct value past 65,535 in a segment.
:class:`SharedBytesColumn` writes whoosh's RefBytes layout with references of 1, 2 or 4 bytes
as the distinct values require, and falls back to the plain layout when most values are
distinct (then references would only add to it, and a reader would hold every value in memory).
A last byte tells the reader which layout follows.
"""
from __future__ import annotations

from array import array
from typing import Any, Iterator

from whoosh.columns import Column, ColumnReader, ColumnWriter, RefBytesColumn, VarBytesColumn

_REFS, _PLAIN = b"r", b"p"
SHARED_AT_MOST = 0.5  # distinct values per record above which the plain layout is written


class SharedBytesColumn(Column):
    """Bytes values, each distinct one stored once per segment (see the module docstring)."""

    reversible = False  # references are not ordered like the values
    _default = b""  # what a segment without the column gives (Column.default_value)

    def writer(self, dbfile: Any) -> ColumnWriter:
        return _Writer(dbfile)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> ColumnReader:
        layout = bytes([dbfile.get_byte(basepos + length - 1)])
        if layout == _REFS:
            return RefBytesColumn.Reader(dbfile, basepos, length - 1, doccount, 0)
        return VarBytesColumn().reader(dbfile, basepos, length - 1, doccount)


class _Writer(ColumnWriter):
    def __init__(self, dbfile: Any) -> None:
        self._dbfile = dbfile
        self._uniques: dict[bytes, int] = {b"": 0}
        self._refs = array("I")

    def add(self, docnum: int, v: bytes) -> None:
        self._fill(docnum)
        ref = self._uniques.get(v)
        if ref is None:
            ref = self._uniques[v] = len(self._uniques)
        self._refs.append(ref)

    def _fill(self, docnum: int) -> None:
        if docnum > len(self._refs):
            self._refs.extend([0] * (docnum - len(self._refs)))

    def _values(self) -> Iterator[bytes]:
        values = sorted(self._uniques, key=self._uniques.__getitem__)
        return (values[ref] for ref in self._refs)

    def finish(self, doccount: int) -> None:
        self._fill(doccount)
        dbfile = self._dbfile
        if len(self._uniques) > SHARED_AT_MOST * max(doccount, 1):
            plain = VarBytesColumn().writer(dbfile)
            for docnum, v in enumerate(self._values()):
                plain.add(docnum, v)
            plain.finish(doccount)
            dbfile.write(_PLAIN)
            return
        n = len(self._uniques)
        code = "B" if n <= 1 << 8 else "H" if n <= 1 << 16 else "I"
        dbfile.write_array(array(code, self._refs))  # big-endian, as RefBytes' reader reads
        dbfile.write_varint(n)
        for v in sorted(self._uniques, key=self._uniques.__getitem__):
            dbfile.write_varint(len(v))
            dbfile.write(v)
        dbfile.write(code.encode("ascii"))
        dbfile.write(_REFS)
