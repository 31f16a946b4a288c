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
            return SharedReader(dbfile, basepos, length - 1, doccount, 0)
        return VarBytesColumn().reader(dbfile, basepos, length - 1, doccount)


class SharedReader(RefBytesColumn.Reader):
    """whoosh's RefBytes reader, which can also give all the references in one read."""

    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int,
                 fixedlen: int) -> None:
        super().__init__(dbfile, basepos, length, doccount, fixedlen)
        self._refs_at = (dbfile, basepos, doccount, chr(dbfile.get_byte(basepos + length - 1)))

    def distinct(self) -> list[bytes]:
        """Each distinct value once, in reference order."""
        return list(self._uniques)

    def references(self) -> Any:
        """Each record's reference into distinct(), as a numpy array (one read, no loop:
        iterating costs a struct unpack per record, 0.1 s on STARD's 64,430 records)."""
        import numpy as np  # the search path has it; writing a column does not need it

        dbfile, basepos, doccount, code = self._refs_at
        item = np.dtype(">" + code)
        return np.frombuffer(dbfile.get(basepos, doccount * item.itemsize), dtype=item)


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


def shared_codes(reader: Any, field: str) -> Any:
    """(sorted distinct values as str, each record's index into them) of one segment's shared
    column, read in one go; None when the segment keeps that column in another layout.

    The same arrays as sorting the str of every record's value (None as ""), without
    decoding a value per record.
    """
    import numpy as np

    column = reader.column_reader(field, translate=False) if reader.has_column(field) else None
    if not isinstance(column, SharedReader):
        return None
    refs = column.references()
    distinct = column.distinct()
    present = np.zeros(len(distinct), dtype=bool)  # (np.unique here would import numpy.ma)
    present[refs] = True
    used = np.flatnonzero(present)  # only the values some record has, as when sorting them all
    decode = reader.schema[field].from_column_value
    values = [decode(v) for v in distinct]
    text = np.asarray([("" if values[i] is None else values[i]) for i in used],
                      dtype=object).astype(str)
    labels, inverse = np.unique(text, return_inverse=True)
    lookup = np.zeros(len(values), dtype=inverse.dtype)
    lookup[used] = inverse
    return labels, lookup[refs]
