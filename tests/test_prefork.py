"""`gongwen serve --workers N`: several real processes on one port, each answering searches.

Which process answered a connection is read from /proc (the server side of the connection is a
socket in exactly one worker's descriptor table), not from a header the server adds.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from render import REPO
from search_app import SECURITY_HEADERS
from search_app.cli import cli
from search_app.serving import MAX_WORKERS, default_workers
from web_support import BULLETIN_TITLE

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists() or not hasattr(os, "fork"),
                                reason="needs Linux's /proc and fork")
QUERY = "/api/search?q=" + urllib.parse.quote("产业工人")


class Served:
    """A `gongwen serve` process tree on a free loopback port; killed on exit if still there."""

    def __init__(self, index: Path, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", "serve", "--index", str(index),
             "--port", "0", *options],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", self.first_line)
        assert found, f"serve did not start: {self.first_line!r} {self.stop()[1]}"
        self.port = int(found.group(1))

    def workers(self, count: int, timeout: float = 60.0) -> list[int]:
        """The master's child processes, once there are `count` of them."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pids = children(self.proc.pid)
            if len(pids) == count:
                return pids
            time.sleep(0.1)
        raise AssertionError(f"not {count} workers: {children(self.proc.pid)}")

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def stop(self, sig: int = signal.SIGTERM) -> tuple[str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            for pid in children(self.proc.pid):
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            return self.proc.communicate()


@pytest.fixture()
def served(index_dir: Path) -> Iterator[Served]:
    server = Served(index_dir, "--workers", "2", "--threads", "2")
    try:
        yield server
    finally:
        for pid in children(server.proc.pid):
            os.kill(pid, signal.SIGCONT)
        server.stop()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return sorted(found)


def descriptors(pid: int) -> list[str]:
    folder = Path(f"/proc/{pid}/fd")
    out = []
    for fd in folder.iterdir() if folder.exists() else ():
        try:
            out.append(os.readlink(fd))
        except OSError:
            continue
    return out


def answering_pid(conn: http.client.HTTPConnection, server_port: int, pids: list[int]) -> int:
    """The worker holding the server side of conn (by its socket inode in /proc/net/tcp)."""
    client_port = conn.sock.getsockname()[1]
    local, remote = f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}"
    inode = next(cols[9] for cols in (line.split() for line in
                                      Path("/proc/net/tcp").read_text().splitlines()[1:])
                 if cols[1] == local and cols[2] == remote)
    owners = [pid for pid in pids if f"socket:[{inode}]" in descriptors(pid)]
    assert len(owners) == 1, (inode, owners)
    return owners[0]


def search(conn: http.client.HTTPConnection) -> http.client.HTTPResponse:
    conn.request("GET", QUERY)
    response = conn.getresponse()
    body = json.loads(response.read())
    assert response.status == 200
    assert body["results"][0]["title"] == BULLETIN_TITLE
    assert {k: response.getheader(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS
    return response


def answered_while_frozen(served: Served, frozen: int, pids: list[int]) -> int:
    """Stop one worker (SIGSTOP); a new connection's search is answered by another one."""
    os.kill(frozen, signal.SIGSTOP)
    try:
        conn = served.connect()
        search(conn)
        pid = answering_pid(conn, served.port, pids)
        conn.close()
        return pid
    finally:
        os.kill(frozen, signal.SIGCONT)


def test_two_worker_processes_answer_searches_survive_a_kill_and_stop_on_sigterm(served):
    assert "（2 个进程，按 Ctrl-C 退出）" in served.first_line
    first, second = served.workers(2)
    conn = served.connect()
    search(conn)
    one = answering_pid(conn, served.port, [first, second])
    other = second if one == first else first
    assert answered_while_frozen(served, one, [first, second]) == other

    os.kill(one, signal.SIGKILL)  # a worker dies: the master starts another in its place
    search(served.connect())  # meanwhile the survivor answers
    end = time.monotonic() + 60
    while time.monotonic() < end and one in (pids := served.workers(2)):
        time.sleep(0.1)
    replacement = next(pid for pid in pids if pid not in (one, other))
    assert answered_while_frozen(served, other, [other, replacement]) == replacement

    out, err = served.stop(signal.SIGTERM)
    assert served.proc.returncode == 0, err
    assert out.splitlines() == ["已停止。"]
    assert children(served.proc.pid) == []
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "ERROR" in line] == [
        line for line in err.splitlines() if f"Worker (pid:{one}) was sent SIGKILL" in line]


def test_keep_alive_connections_are_spread_over_the_workers(served):
    """Eight clients each keeping a connection: four on each worker, not most on one (the
    kernel wakes both workers for every connection, and the same one tends to win)."""
    pids = served.workers(2)
    conns = [served.connect() for _ in range(8)]
    held = []
    for conn in conns:
        search(conn)
        held.append(answering_pid(conn, served.port, pids))
    assert sorted(held.count(pid) for pid in pids) == [4, 4], held
    for conn in conns:  # and each goes on being answered on its connection
        search(conn)
        conn.close()


def test_idle_and_half_sent_connections_hold_no_worker_thread(served):
    """100 connections, half with a request begun and never finished, 2 threads per worker."""
    pids = served.workers(2)
    held = []
    try:
        for k in range(100):
            s = socket.create_connection(("127.0.0.1", served.port), timeout=10)
            if k % 2:
                s.sendall(b"GET /api/search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(s)
        time.sleep(0.5)
        start = time.monotonic()
        conn = served.connect()
        search(conn)
        assert time.monotonic() - start < 20, "answered, not after a connection timed out"
        assert answering_pid(conn, served.port, pids) in pids
    finally:
        for s in held:
            s.close()


@pytest.mark.parametrize("value", ["0", "abc", str(MAX_WORKERS + 1), "-2"])
def test_an_invalid_worker_count_is_one_chinese_line(runner, index_dir, value):
    result = runner.invoke(cli, ["serve", "--index", str(index_dir), "--workers", value])
    assert result.exit_code == 1
    assert result.stderr == (f"错误：--workers 应为 1 到 {MAX_WORKERS} 之间的整数，"
                             f"收到的是 {value!r}\n")


def test_one_worker_is_a_single_waitress_process(index_dir):
    server = Served(index_dir, "--workers", "1")
    try:
        assert "个进程" not in server.first_line
        search(server.connect())
        assert children(server.proc.pid) == []
    finally:
        out, err = server.stop(signal.SIGINT)
    assert "已停止" in out and "Traceback" not in err


def test_the_default_is_one_worker_per_core_this_process_may_use():
    assert default_workers() == min(len(os.sched_getaffinity(0)), MAX_WORKERS)
