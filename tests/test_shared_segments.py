"""Issue 14, bounded server memory: every thread's searcher reads the same memory map of each
segment file (no copy per thread), the search caches keep to their budget in bytes, and an
invalid budget is refused with one line."""
from __future__ import annotations

import contextlib
import gc
import os
import random
import shutil
import threading
import tracemalloc
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from batch_support import cli, ingest_in_process, write_jsonl
from index import IndexError_, SearchRequest, open_index, parse_cache_mb
from index import layout as gen
from index.mapped import MappedFile, MappedStorage
from index.search.caches import MB, ByteLRU, CacheBudget, estimate_bytes
from index.search.scoring import _caches_for

WORDS = ("安全生产", "疫情防控", "复工复产", "职工", "技能培训", "值班制度", "财政资金", "审计",
         "乡村振兴", "营商环境", "产业工人", "劳动合同", "社会保险", "住房公积金", "环境保护",
         "食品安全", "应急管理", "消防", "交通运输", "教育培训", "科技创新", "数据共享")
QUERIES = ("安全生产 值班制度", "疫情防控", "职工 技能培训", "财政资金 审计", "乡村振兴",
           "营商环境 科技创新", "社会保险 住房公积金", "食品安全 应急管理")


def _text(rng: random.Random, sentences: int) -> str:
    return "".join(f"各单位要加强{rng.choice(WORDS)}和{rng.choice(WORDS)}工作，"
                   f"落实{rng.choice(WORDS)}责任，第{rng.randrange(1000)}条。"
                   for _ in range(sentences))


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 700 documents of a few paragraphs: segments of a few megabytes."""
    rng = random.Random(14)
    root = tmp_path_factory.mktemp("shared")
    records = [{"id": f"doc-{i:04d}", "title": f"关于{rng.choice(WORDS)}工作的第{i}号通知",
                "text": "\n\n".join(_text(rng, 6) for _ in range(4))} for i in range(700)]
    write_jsonl(root / "source" / "corpus.jsonl", records)
    code, counts, err, _ = ingest_in_process(root / "source", "--index", root / "index", "-q")
    assert code == 0 and counts["documents"] == 700, err
    return root / "index"


def _generation(index: Path) -> Path:
    return gen.generation_dir(index, gen.read_pointer(index))


def _search_all(ix: object) -> None:
    for q in QUERIES:
        assert ix.search(SearchRequest(q=q)).total > 0, q


def _segment_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.suffix in (".seg", ".trm", ".pst",
                                                                           ".vps", ".fcs"))


@contextlib.contextmanager
def _threads_searching(ix: object, n: int) -> Iterator[None]:
    """n threads that have searched and stay alive (holding their searchers) until the end."""
    done, release = threading.Barrier(n + 1), threading.Event()

    def run() -> None:
        _search_all(ix)
        done.wait()
        release.wait()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    done.wait()
    try:
        yield
    finally:
        release.set()
        for t in threads:
            t.join()


def test_threads_read_one_map_of_each_segment_file(index_path: Path) -> None:
    with open_index(index_path) as ix, _threads_searching(ix, 4):
        searchers = list(ix._searchers)
        assert len(searchers) == 4  # one searcher per thread, as before
        storage = ix._ix.storage
        assert isinstance(storage, MappedStorage)
        exporters = set()
        for searcher in searchers:
            for leaf, _ in searcher.reader().leaf_readers():
                compound = leaf._storage.a  # whoosh's CompoundStorage over our file
                assert compound._source is None  # whoosh did not map (and copy) it itself
                assert isinstance(compound._file, MappedFile)
                files = [compound.open_file(name) for name in compound.list()]
                assert all(isinstance(f, MappedFile) for f in files)
                exporters |= {id(f._buf.obj) for f in files} | {id(compound._file._buf.obj)}
        segments = len(searchers[0].reader().leaf_readers())
        # Every thread's every file is a view of the same map: one map per segment file.
        assert len(exporters) == segments
        assert storage.mapped_bytes() >= _segment_bytes(_generation(index_path))


def _second_thread_allocations(ix: object) -> int:
    """Peak bytes allocated while a second thread opens its searcher and searches."""
    _search_all(ix)  # this thread: the caches are warm
    tracemalloc.start()
    try:
        t = threading.Thread(target=_search_all, args=(ix,))
        t.start()
        t.join()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_second_thread_allocates_a_small_fraction_of_the_index(index_path: Path) -> None:
    size = _segment_bytes(_generation(index_path))
    assert size > 2 * MB  # big enough that a copy would show
    with open_index(index_path) as ix:
        ours = _second_thread_allocations(ix)
    # The same searches with whoosh's own mapped storage: it copies every file per searcher.
    with open_index(index_path) as ix:
        ix._ix = FileIndex(FileStorage(str(_generation(index_path)), supports_mmap=True),
                           indexname=gen.INDEX_NAME)
        copying = _second_thread_allocations(ix)
    assert copying > size  # the copy is real: the baseline measures what it should
    # What a searcher does allocate is its own small arrays (live mask, length norms)
    assert ours < size / 5, (ours, size, copying)


def test_closing_releases_the_maps(index_path: Path) -> None:
    ix = open_index(index_path)
    _search_all(ix)
    storage = ix._ix.storage
    assert storage.mapped_bytes() > 0
    ix.close()
    gc.collect()
    assert storage.mapped_bytes() == 0


def test_mapped_file_reads_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "f.bin").write_bytes(b"first line\nsecond\n" + bytes(range(256)))
    storage = MappedStorage(str(tmp_path))
    f = storage.open_file("f.bin")
    assert f.readline() == b"first line\n"
    assert f.read(6) == b"second" and f.tell() == 17
    part = f.subset(18, 256)
    assert part.read_byte() == 0 and part.get(250, 6) == bytes(range(250, 256))
    assert part.seek(-1, 2) == 255 and part.read() == b"\xff" and part.read() == b""
    assert part._buf.obj is f._buf.obj  # a view of the same map, not a copy
    (tmp_path / "empty").write_bytes(b"")
    assert storage.open_file("empty").read() == b""


def test_lru_keeps_to_its_byte_budget() -> None:
    cache = ByteLRU(100_000)
    arrays = [np.zeros(2000, dtype=np.int64) for _ in range(20)]  # 16 kB each
    for i, a in enumerate(arrays):
        cache.put(("t", i), a)
        assert cache.bytes <= 100_000
    assert 4 <= len(cache) <= 6
    assert cache.get(("t", 0)) is None and cache.get(("t", 19)) is arrays[19]
    oldest = 20 - len(cache)
    assert cache.get(("t", oldest - 1)) is None and cache.get(("t", oldest)) is not None
    # oldest was just used: the next put evicts the one after it instead
    cache.put(("t", 20), arrays[0])
    assert cache.get(("t", oldest)) is not None and cache.get(("t", oldest + 1)) is None
    cache.put("huge", np.zeros(200_000))  # bigger than the budget: not kept
    assert cache.get("huge") is None and cache.bytes <= 100_000


def test_estimate_counts_what_a_value_holds() -> None:
    pair = (np.zeros(1000, np.int64), np.zeros(1000, np.float32))
    assert 12_000 <= estimate_bytes(pair) < 13_000
    big = frozenset(f"词{i}" for i in range(10_000))
    assert estimate_bytes(big) > 10_000 * 50


def test_search_caches_stay_within_a_tiny_budget(index_path: Path) -> None:
    with open_index(index_path, cache_mb=1) as ix:
        rng = random.Random(3)
        caches = None
        for _ in range(60):  # distinct queries
            ix.search(SearchRequest(q=" ".join(rng.sample(WORDS, 2))))
            caches = _caches_for(ix._ix)
            assert caches.postings.bytes <= MB and caches.texts.bytes <= MB
        assert caches is not None
        keys = list(caches.postings._items)
        assert any(k[0] == "\x00joined" or isinstance(k[0], str) for k in keys)  # postings
        assert any(isinstance(k[0], tuple) for k in keys)  # texts (keyed by the segments)
        # Evictions happened: 60 distinct queries' postings and texts do not fit in 1 MB.
        assert caches.postings.bytes > MB // 2


def test_cache_setting_is_checked() -> None:
    assert parse_cache_mb("128") == 128 and parse_cache_mb(64) == 64
    for bad in ("abc", "0", "-5", "1.5", "", True):
        with pytest.raises(IndexError_) as e:
            parse_cache_mb(bad, "CACHE_MB")
        assert str(e.value).startswith("缓存上限 CACHE_MB 应为 1 到") and "\n" not in str(e.value)


def test_serve_refuses_an_invalid_cache_size(index_path: Path) -> None:
    done = cli("serve", "--index", str(index_path), "--cache-mb", "lots")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("错误：缓存上限 --cache-mb（或 GONGWEN_CACHE_MB） 应为 1 到 1048576 "
                           "之间的整数（单位 MB），而不是 'lots'\n")
    done = cli("serve", "--index", str(index_path), env={**os.environ, "GONGWEN_CACHE_MB": "0"})
    assert done.returncode == 1 and "而不是 '0'" in done.stderr and "Traceback" not in done.stderr


def test_flask_config_is_checked(index_path: Path) -> None:
    from search_app import create_app
    with pytest.raises(IndexError_, match="缓存上限 CACHE_MB 应为"):
        create_app({"INDEX_PATH": index_path, "CACHE_MB": "big"})
    app = create_app({"INDEX_PATH": index_path, "CACHE_MB": 8})
    client = app.test_client()
    assert client.get("/api/search?q=疫情防控").get_json()["total"] > 0
    index = app.extensions["gongwen_index"].get()
    assert _caches_for(index._ix).postings.limit == CacheBudget.of_megabytes(8).bytes == 8 * MB


def _mapped_paths(folder: Path) -> list[str]:
    """Files under folder this process has memory-mapped, one entry a mapping (/proc/self/maps)."""
    maps = Path("/proc/self/maps").read_text().splitlines()
    return [line.split(None, 5)[5] for line in maps
            if len(line.split(None, 5)) == 6 and str(folder) in line]


def test_a_replaced_generation_is_unmapped(tmp_path: Path, index_path: Path) -> None:
    shutil.copytree(index_path, tmp_path / "index")
    index = tmp_path / "index"
    source = index_path.parent / "source"
    with open_index(index) as ix:
        old = _generation(index)
        old_storage = ix._ix.storage
        with _threads_searching(ix, 3):
            mapped = _mapped_paths(old)
            # Three threads' searchers, each segment file mapped once (whoosh mapped it per
            # searcher).
            assert len(mapped) == len(set(mapped)) == len(list(old.glob("*.seg"))) > 0
            assert {Path(p).name for p in mapped} == {p.name for p in old.glob("*.seg")}
        code, _, err, _ = ingest_in_process(source, "--index", index, "--rebuild", "-q")
        assert code == 0, err
        assert _generation(index) != old and not old.exists()
        # The threads that read the old generation have ended: their searchers went with them.
        _search_all(ix)  # this one follows the pointer to the new generation
        gc.collect()
        assert old_storage.mapped_bytes() == 0
        assert not _mapped_paths(old)  # the deleted files' space is free
        assert _mapped_paths(_generation(index))
