"""The progress bar: on a terminal it shows files done of how many, rate and time left; piped
or with --quiet there is none, and the summary line is the same either way."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from batch_support import REPO, cli, summary_counts, write_doc


def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    for i in range(3):
        write_doc(folder, f"doc-{i}.txt", f"第{i}号通知", "各单位要厉行节约。")
    return folder


def run_on_terminal(*args: object) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal: (exit status, stdout, terminal output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", *map(str, args)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    out = proc.stdout.read().decode("utf-8")
    proc.stdout.close()
    return proc.wait(timeout=120), out, b"".join(chunks).decode("utf-8", "replace")


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    proc = cli("ingest", inbox(tmp_path), "--index", tmp_path / "idx")
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert summary_counts(proc.stdout)["added"] == 3


def test_a_progress_bar_on_a_terminal(tmp_path):
    code, out, terminal = run_on_terminal("ingest", inbox(tmp_path), "--index", tmp_path / "idx")
    assert code == 0
    assert summary_counts(out)["added"] == 3
    assert "索引: 100%" in terminal
    assert "3/3 个文件" in terminal
    assert "个文件/s]" in terminal  # the rate; time left sits between elapsed and rate
    assert "\r" in terminal


def test_quiet_turns_the_bar_off_on_a_terminal(tmp_path):
    code, out, terminal = run_on_terminal("ingest", inbox(tmp_path), "--index", tmp_path / "idx",
                                          "--quiet")
    assert code == 0
    assert summary_counts(out)["added"] == 3
    assert terminal == ""
