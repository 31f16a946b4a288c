"""A running `gongwen serve` answers every request while a batch writes and while --rebuild
switches generations, and sees the new documents as soon as the batch has committed."""
from __future__ import annotations

import threading
from pathlib import Path

from batch_support import Server, cli, read_generation, write_doc


def populate(folder: Path, start: int, count: int, word: str) -> None:
    for i in range(start, start + count):
        write_doc(folder, f"doc-{i:03d}.txt", f"关于{word}工作的第{i}号通知",
                  f"各单位要做好{word}工作，落实值班制度。", "加强职工技能培训，提升服务水平。")


class Hammer:
    """Requests in a loop from a thread, recording every answer that is not a 200."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.errors: list[object] = []
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                status, body = self.server.search("值班制度")
                if status != 200 or body["total"] < 20:
                    self.errors.append((status, body))
            except Exception as e:  # noqa: BLE001 - every failure is a finding
                self.errors.append(repr(e))
            self.count += 1

    def __enter__(self) -> Hammer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def test_serve_answers_during_a_batch_and_a_rebuild(tmp_path):
    inbox, index = tmp_path / "inbox", tmp_path / "idx"
    populate(inbox, 0, 20, "安全生产")
    assert cli("ingest", inbox, "--index", index, "--quiet").returncode == 0
    with Server(index) as server:
        assert server.search("防汛")[1]["total"] == 0
        populate(inbox, 20, 80, "防汛")
        with Hammer(server) as hammer:
            batch = cli("ingest", inbox, "--index", index, "--quiet")
            during_batch = hammer.count
            # Visible on the next request after the batch has committed: no restart.
            status, body = server.search("防汛")
            assert status == 200 and body["total"] == 80
            old = read_generation(index)
            rebuild = cli("ingest", inbox, "--index", index, "--quiet", "--rebuild")
            status, body = server.search("防汛")
        assert batch.returncode == 0, batch.stderr
        assert rebuild.returncode == 0, rebuild.stderr
        assert status == 200 and body["total"] == 80
        assert read_generation(index) != old and not (index / old).exists()
        assert hammer.errors == []
        assert during_batch > 0 and hammer.count > during_batch
        print(f"{hammer.count} requests answered, none failed")
