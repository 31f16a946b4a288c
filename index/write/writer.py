"""The write half of an index: small batches (add, replace, delete) in one commit each, under
the batch lock. Big batches (``gongwen ingest``) go through :mod:`index.write.sync`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from index import layout as gen
from index.layout import IndexLockedError, WriteLock, open_whoosh
from index.schema import doc_numbers, document_record
from index.types import IndexError_
from index.write.merge import WRITER_POOL_MB, tiered
from ingest.model import Document

WRITE_LOCK_TIMEOUT = 5.0  # seconds Index.add_documents waits for another writer


class IndexWriter:
    """Small writes to the index at ``path``; mixed into :class:`index.store.Index`, whose read
    half supplies ``_closed`` and ``_pointer_now`` (the generation being read)."""

    path: Path
    _closed: bool

    def _pointer_now(self) -> dict[str, Any]:
        raise NotImplementedError

    def add_documents(self, docs: Iterable[Document]) -> int:
        """Add or replace (by doc_id) documents in one commit; nothing is kept if any fails."""
        batch: dict[str, Document] = {}
        for doc in docs:  # last one wins: a writer cannot delete what it has added itself
            batch[doc.doc_id] = doc

        def work(writer: SegmentWriter) -> int:
            for doc_id, doc in batch.items():
                try:
                    record = document_record(doc)
                    writer.delete_by_term("doc_id", doc_id)
                    writer.add_document(**record)
                except Exception as e:
                    raise IndexError_(f"无法索引文档 {doc_id}：{e}；"
                                      "什么都没有写入") from e
            return len(batch)

        return self._write(work)

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        """Delete documents by doc_id; returns how many existed."""
        wanted = set(doc_ids)

        def work(writer: SegmentWriter) -> int:
            searcher = writer.searcher()
            existing = sum(1 for d in wanted if doc_numbers(searcher, d))
            for doc_id in wanted:
                writer.delete_by_term("doc_id", doc_id)
            return existing

        return self._write(work)

    def _write(self, work: Any) -> int:
        """Run work(writer) under the batch lock and commit it, or write nothing at all."""
        if self._closed:
            raise IndexError_(f"索引 {self.path} 已关闭")
        with WriteLock(self.path, wait=True, timeout=WRITE_LOCK_TIMEOUT):
            ix = open_whoosh(gen.generation_dir(self.path, self._pointer_now()), durable=True,
                             mapped=False)
            try:
                writer = SegmentWriter(ix, limitmb=WRITER_POOL_MB)
            except LockError as e:
                raise IndexLockedError(f"索引 {self.path} 正被另一个写入进程锁定；"
                                       "请等它结束后再试") from e
            try:
                result = work(writer)
            except BaseException as e:
                writer.cancel()
                if isinstance(e, IndexError_) or not isinstance(e, Exception):
                    raise
                raise IndexError_(f"无法写入索引 {self.path}：{e}；"
                                  "什么都没有写入") from e
            try:
                writer.commit(mergetype=tiered())
            except Exception as e:
                raise IndexError_(f"无法提交到索引 {self.path}：{e}") from e
            return result
