"""Issue 14: a pre-fork server's memory. The index warmed before the fork, its arrays shared by
the workers and their threads, the master letting go of it once they hold it, a server that
starts even when its index cannot be warmed, two malloc arenas, freed pages given back.

The fork is a real os.fork of a process holding a real index on disk; the server is a real
`gongwen serve` process tree.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from index import SearchRequest, Warmth, create_index, open_index
from docs import build_index, make_doc, small_corpus
from index.search import scoring
from index.search.scoring import SHARED_COMMITS, shared_arrays
from render import REPO
from test_prefork import children
from web_support import BULLETIN_TITLE

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_warm_builds_every_array_a_search_needs(index_dir: Path) -> None:
    with open_index(index_dir) as ix:
        warmth = ix.warm()
        arrays = shared_arrays(ix._current_ix())
        assert isinstance(warmth, Warmth)
        assert warmth.arrays == len(arrays) > 2  # live records, documents, lengths, norms …
        assert warmth.bytes == sum(a.nbytes for a in arrays) > 0
        before = {id(a) for a in arrays}
        # a search of every kind, as a request would ask: nothing new to build
        for req in (SearchRequest(q="产业工人"), SearchRequest(q="改革 典型", sort="date"),
                    SearchRequest(q="大理州如何以典型引领全面推进改革")):
            ix.search(req)
        assert {id(a) for a in shared_arrays(ix._current_ix())} == before
        again = ix.warm()  # a second warm-up finds it all built
        assert (again.arrays, again.bytes) == (warmth.arrays, warmth.bytes)


def test_commits_rebuild_the_shared_arrays_and_keep_only_the_latest(tmp_path: Path) -> None:
    with build_index(tmp_path / "index", small_corpus()) as ix:
        ix.warm()
        previous = {id(a) for a in shared_arrays(ix._current_ix())}
        for n in range(4):  # each commit: new segments, new live records, new arrays
            ix.add_documents([make_doc(f"new-{n}", f"关于第{n}批职工书屋建设的通知",
                                       [f"推动第{n}批职工书屋建设。"])])
            ix.warm()
            built = {id(a) for a in shared_arrays(ix._current_ix())}
            assert not built & previous
            hits = ix.search(SearchRequest(q="职工书屋建设")).hits
            assert f"new-{n}" in {h.doc_id for h in hits}
            assert {id(a) for a in shared_arrays(ix._current_ix())} == built
            previous = built
        assert len(scoring._SHARED[ix._current_ix()]) == SHARED_COMMITS


def _child_search(ix, write_end: int) -> None:
    """In a forked child: search from a new thread (as a waitress thread does), report back."""
    out: dict = {}

    def ask() -> None:
        hits = ix.search(SearchRequest(q="产业工人")).hits
        out["title"] = hits[0].title if hits else None

    try:
        thread = threading.Thread(target=ask)
        thread.start()
        thread.join()
        out["arrays"] = sorted(id(a) for a in shared_arrays(ix._current_ix()))
        os.write(write_end, json.dumps(out, ensure_ascii=False).encode())
    finally:
        os._exit(0)


def test_a_forked_worker_searches_with_the_arrays_its_master_built(index_dir: Path) -> None:
    with open_index(index_dir) as ix:
        ix.warm()
        built = sorted(id(a) for a in shared_arrays(ix._current_ix()))
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child_search(ix, write_end)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as f:
            got = json.loads(f.read() or b"{}")
        assert os.waitpid(pid, 0)[1] == 0
    # the same objects, at the same addresses: the pages the master wrote, not a copy
    assert got == {"title": BULLETIN_TITLE, "arrays": built}


def _serve(index: Path, *options: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--index",
                             str(index), "--port", "0", *options],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    if not found:
        proc.kill()
        raise AssertionError(f"serve did not start: {first!r} {proc.communicate()}")
    return proc, f"http://127.0.0.1:{found.group(1)}/"


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.terminate()
    try:
        return proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_server_on_a_broken_segment_starts_and_says_why_in_one_line(
        index_dir: Path, tmp_path: Path, workers: str) -> None:
    broken = tmp_path / "index"
    shutil.copytree(index_dir, broken)
    segment = next(broken.glob("g*/*.seg"))
    segment.write_bytes(segment.read_bytes()[:100])  # cut short: its directory is gone
    proc, url = _serve(broken, "--workers", workers, "--threads", "2")
    try:
        status, body = _get(url + "api/search?" + urllib.parse.urlencode({"q": "产业工人"}))
    finally:
        _, err = _stop(proc)
    warnings = [line for line in err.splitlines() if "预热" in line]
    assert len(warnings) == 1, err
    prefix = "提示：索引预热失败，照常启动服务（首批检索会慢一些）："
    assert warnings[0].startswith(f"{prefix}无法读取索引 {broken}：")
    # the request gets the index's own error, the same reason
    assert (status, body) == (503, {"ok": False, "error": {
        "status": 503, "message": f"检索服务暂不可用，请稍后重试。（{warnings[0][len(prefix):]}）"}})
    assert "Traceback" not in err


def test_a_server_on_an_empty_index_starts_without_a_warning(tmp_path: Path) -> None:
    create_index(tmp_path / "index").close()
    proc, url = _serve(tmp_path / "index", "--workers", "2", "--threads", "2")
    try:
        status, body = _get(url + "api/search?" + urllib.parse.urlencode({"q": "产业工人"}))
    finally:
        _, err = _stop(proc)
    assert (status, body["total"], body["results"]) == (200, 0, [])
    assert "预热" not in err and "Traceback" not in err


ARENAS_SCRIPT = """
import ctypes, sys, threading
from search_app.serving import limit_malloc_arenas
print(limit_malloc_arenas(), flush=True)
barrier = threading.Barrier(9)
def hold():
    kept = [bytearray(1000) for _ in range(100)]  # each thread's first mallocs
    barrier.wait()
    barrier.wait()
threads = [threading.Thread(target=hold) for _ in range(8)]
for t in threads: t.start()
barrier.wait()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per arena, on stderr
barrier.wait()
for t in threads: t.join()
"""


def _arenas(env: dict[str, str]) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", ARENAS_SCRIPT], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), len(re.findall(r"^Arena \d+:", done.stderr, re.M))


@pytest.mark.skipif(not sys.platform.startswith("linux") or
                    os.confstr("CS_GNU_LIBC_VERSION") is None, reason="glibc's malloc only")
def test_a_server_process_keeps_to_two_malloc_arenas_unless_told_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert _arenas(env) == ("True", 2)  # 8 threads, each would have had its own
    assert _arenas({**env, "MALLOC_ARENA_MAX": "4"}) == ("False", 4)  # the administrator's


def _mapped_segments(pid: int, index: Path) -> set[str]:
    """The index's segment files pid has mapped (/proc/PID/maps)."""
    text = Path(f"/proc/{pid}/maps").read_text()
    return {line.split(None, 5)[5] for line in text.splitlines()
            if len(line.split(None, 5)) == 6 and line.split(None, 5)[5].startswith(str(index))
            and line.endswith(".seg")}


def _wait(condition, timeout: float = 60.0):
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = condition()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError("timed out")


def _two_workers(master: int, not_: list[int] | None = None) -> list[int] | None:
    pids = children(master)
    return pids if len(pids) == 2 and pids != not_ else None


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_the_master_lets_go_of_the_index_once_its_workers_hold_it(
        index_dir: Path, tmp_path: Path) -> None:
    import signal

    index = tmp_path / "index"
    shutil.copytree(index_dir, index)
    segments = {str(p) for p in index.glob("g*/*.seg")}
    proc, url = _serve(index, "--workers", "2", "--threads", "2")
    try:
        first = _wait(lambda: _two_workers(proc.pid))
        # the workers inherited the master's maps of every segment; the master dropped its own
        _wait(lambda: not _mapped_segments(proc.pid, index))
        assert [_mapped_segments(pid, index) for pid in first] == [segments, segments]
        os.kill(first[0], signal.SIGKILL)  # its replacement opens the index itself
        pids = _wait(lambda: _two_workers(proc.pid, not_=first))
        new = next(pid for pid in pids if pid not in first)
        assert _wait(lambda: _mapped_segments(new, index)) == segments
        for _ in range(4):  # each worker answers
            status, body = _get(url + "api/search?" + urllib.parse.urlencode({"q": "产业工人"}))
            assert (status, body["results"][0]["title"]) == (200, BULLETIN_TITLE)
    finally:
        _, err = _stop(proc)
    assert "预热" not in err and "Traceback" not in err


TRIM_SCRIPT = """
from search_app.serving import release_free_memory
def anon():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("RssAnon:"))
kept = []
junk = [bytes(2000) for _ in range(100_000)]  # 200 MB from malloc, not Python's small-object pool
kept = junk[::50]  # a few survivors hold the heap's top: freeing the rest returns nothing
del junk
before = anon()
print(release_free_memory(), (before - anon()) // 1024)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or
                    os.confstr("CS_GNU_LIBC_VERSION") is None, reason="glibc's malloc only")
def test_an_idle_worker_gives_freed_memory_back() -> None:
    done = subprocess.run([sys.executable, "-c", TRIM_SCRIPT], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    released, mb = done.stdout.split()
    assert released == "True" and int(mb) > 150, done.stdout  # of the ~196 MB freed
