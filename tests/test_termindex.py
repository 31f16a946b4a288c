"""The bulk writer's term index: the same file as whoosh's OrderedHashWriter writes, and
readable by whoosh's reader."""
from __future__ import annotations

import random

import pytest

from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

from index.write.termindex import TermIndexWriter


def write(keys: list[bytes], values: list[bytes], chunks: list[int] | None) -> bytes:
    """The file a term index of keys → values makes: whoosh's (chunks None) or ours, the keys
    given in chunks of those sizes (a negative size: that many keys one at a time)."""
    storage = RamStorage()
    writer = OrderedHashWriter(storage.create_file("t"))
    writer.extras["fieldmap"] = {"body": 0}
    if chunks is None:
        for key, value in zip(keys, values):
            writer.add(key, value)
    else:
        TermIndexWriter.adopt(writer)
        at = 0
        for size in chunks:
            if size < 0:
                for key, value in zip(keys[at:at - size], values[at:at - size]):
                    writer.add(key, value)
                at -= size
            else:
                writer.add_many(keys[at:at + size], values[at:at + size])
                at += size
        for key, value in zip(keys[at:], values[at:]):  # whoosh's add, one key at a time
            writer.add(key, value)
    writer.close()
    return storage.open_file("t").read()


def test_term_index_file_is_whooshs() -> None:
    rng = random.Random(7)
    # 5,000 keys (many share a bucket: probing runs past each table's end and wraps) and
    # values big enough that record positions pass 65,535 (the position array's type grows).
    keys = sorted({"词{}".format(rng.randrange(10 ** 6)).encode() for _ in range(5000)})
    values = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))) for _ in keys]
    whooshs = write(keys, values, None)
    assert write(keys, values, [len(keys)]) == whooshs
    assert write(keys, values, [1, 999, 3000]) == whooshs  # the rest one key at a time
    assert write(keys, values, [-10, 500, -7, 1000]) == whooshs
    assert write([], [], []) == write([], [], None)
    storage = RamStorage()
    with storage.create_file("t") as f:
        f.write(whooshs)
    reader = OrderedHashReader(storage.open_file("t"))
    assert [reader[k] for k in keys[::97]] == values[::97]
    assert list(reader.keys_from(keys[100])) == keys[100:]


def test_keys_must_increase() -> None:
    writer = TermIndexWriter.adopt(OrderedHashWriter(RamStorage().create_file("t")))
    writer.add_many([b"b", b"c"], [b"1", b"2"])
    with pytest.raises(ValueError, match=r"^Keys must increase: b'c'\.\.b'c'$"):
        writer.add_many([b"c"], [b"3"])
    writer.add(b"d", b"4")
    with pytest.raises(ValueError, match=r"^Keys must increase: b'd'\.\.b'a'$"):
        writer.add(b"a", b"5")
