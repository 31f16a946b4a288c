"""Segment files read in place: one memory map per file, shared by every reader of a process.

whoosh's own memory-mapped path (``CompoundStorage`` with ``supports_mmap``) wraps each file
of a compound segment in a ``BufferFile``, whose constructor copies it into a ``BytesIO``:
every searcher, in every thread, after every commit, held its own ~205 MB copy of the STARD
index. Here the storage says it does not map (so whoosh keeps its hands off) and hands out
:class:`MappedFile` objects instead: views of one shared ``mmap`` per file, whose
``subset`` (what ``CompoundStorage`` calls for each inner file) is another view, never a copy.
Reads copy only the bytes they return; the pages stay in the OS page cache, shared with
every other process serving the same index.

A map lives as long as some view of it does: when a generation or a merged-away segment is
no longer read, its map is unmapped and the deleted file's space is freed (Linux semantics;
a map keeps a deleted file's data readable until then).
"""
from __future__ import annotations

import mmap
import os
import threading
import weakref
from typing import Any, Callable, Iterator

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

_EMPTY = memoryview(b"")


class _View:
    """A read-only file object over a memoryview: a read copies only what it returns."""

    __slots__ = ("_view", "_pos")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, n: int | None = -1) -> bytes:
        start, size = self._pos, len(self._view)
        end = size if n is None or n < 0 else min(size, start + n)
        if end <= start:
            return b""
        self._pos = end
        return bytes(self._view[start:end])

    def readline(self, limit: int = -1) -> bytes:
        view, start = self._view, self._pos
        end = len(view) if limit is None or limit < 0 else min(len(view), start + limit)
        # Search in modest chunks: bytes(view[a:b]).find copies only the chunk looked at.
        pos = start
        while pos < end:
            chunk_end = min(end, pos + 4096)
            at = bytes(view[pos:chunk_end]).find(b"\n")
            if at >= 0:
                end = pos + at + 1
                break
            pos = chunk_end
        return self.read(end - start)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        # Dropped, not released: slices handed to other readers share the same map.
        self._view = _EMPTY


class MappedFile(BufferFile):
    """A whoosh file over a view of a shared memory map (BufferFile's reads, without its copy)."""

    def __init__(self, buf: memoryview, name: str | None = None,
                 onclose: Callable[[StructFile], None] | None = None) -> None:
        # Not BufferFile.__init__: it would copy buf into a BytesIO.
        StructFile.__init__(self, _View(buf), name=name, onclose=onclose)
        self._buf = buf
        self._name = name

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        return MappedFile(self._buf[position:position + length], name=name or self._name)

    def close(self) -> None:
        super().close()
        self._buf = _EMPTY


class MappedStorage(FileStorage):
    """whoosh's FileStorage for reading: every file opened is a view of one shared map."""

    def __init__(self, path: str) -> None:
        # supports_mmap=False: CompoundStorage then takes our file's subset() (a view), rather
        # than mapping the file again and copying each part into a BytesIO.
        super().__init__(path, supports_mmap=False)
        self._maps: weakref.WeakValueDictionary[tuple, mmap.mmap] = \
            weakref.WeakValueDictionary()
        self._maps_lock = threading.Lock()

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        with open(self._fpath(name), "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_size == 0:  # mmap cannot map an empty file
                return MappedFile(_EMPTY, name=name, **kwargs)
            key = (name, st.st_ino, st.st_size, st.st_mtime_ns)
            with self._maps_lock:
                mapped = self._maps.get(key)
                if mapped is None:
                    mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                    self._maps[key] = mapped
                view = memoryview(mapped)  # keeps the map alive as long as it is read
        return MappedFile(view, name=name, **kwargs)

    def mapped_bytes(self) -> int:
        """Bytes of the files currently mapped (each once, however many readers share it)."""
        with self._maps_lock:
            return sum(len(m) for m in list(self._maps.values()))
