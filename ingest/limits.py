"""Resource limits for reading one file: only regular files, bounded text, bounded inflation.

A batch must survive whatever is put in its folders: a named pipe (reading it blocks forever),
a symlink loop, a small compressed file that inflates to gigabytes, one enormous record. Every
reader here stops at a limit and says why, in one line, instead of holding the batch.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from .model import ParseError

MB = 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one file may cost; the defaults are documented in the README (Limits)."""

    max_text_mb: float = 10.0  # the text of one document: a .txt file, a JSON Lines record …
    max_inflate_mb: float = 256.0  # what a .gz file (or a DOCX, see zip_bytes) inflates to

    @property
    def text_bytes(self) -> int:
        return int(self.max_text_mb * MB)

    @property
    def inflate_bytes(self) -> int:
        return int(self.max_inflate_mb * MB)

    @property
    def zip_bytes(self) -> int:
        """A DOCX's parts together: twice the text limit at most (lxml holds them whole,
        about 17 bytes of memory per byte of markup), and never past the inflation limit."""
        return min(self.inflate_bytes, 2 * self.text_bytes)

    def text_too_big(self, size: int) -> str:
        return (f"文本超过上限 {self.max_text_mb:g} MB（约 {size / MB:.1f} MB）；"
                "可用 --max-text-mb 调高上限")

    def record_too_big(self, line: int) -> str:
        return (f"第 {line} 行：一条记录超过上限 {self.max_text_mb:g} MB；"
                "可用 --max-text-mb 调高上限")

    def inflates_too_much(self) -> str:
        return (f"解压后超过上限 {self.max_inflate_mb:g} MB（压缩炸弹？）；"
                "可用 --max-inflate-mb 调高上限")

    def zip_too_big(self) -> str:
        return (f"DOCX 解压后超过上限 {self.zip_bytes / MB:g} MB（压缩炸弹？）；"
                "上限为 --max-text-mb 的两倍（且不超过 --max-inflate-mb），可调高 --max-text-mb")


DEFAULT_LIMITS = Limits()

_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISSOCK, "套接字"))

_ERRNO_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "是目录，不是文件",
    errno.ELOOP: "符号链接循环",
    errno.EIO: "读盘出错（输入/输出错误）",
    errno.ENAMETOOLONG: "路径过长",
}


def os_reason(exc: OSError) -> str:
    """An OSError as a short Chinese reason (the errno's name when it is an unusual one)."""
    reason = _ERRNO_REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return f"无法读取文件（{name}）"


def not_regular(mode: int) -> str | None:
    """Why a file of this st_mode is not read (a FIFO would block forever), or None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "是目录，不是文件"
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return f"不是普通文件（{kind}），不读取"


def open_regular(path: Path) -> BinaryIO:
    """The file opened for reading, or ParseError if it is not a regular file.

    O_NONBLOCK: opening a FIFO with no writer would otherwise block before we can fstat it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ParseError(path, os_reason(exc)) from exc
    try:
        problem = not_regular(os.fstat(fd).st_mode)
        if problem is not None:
            raise ParseError(path, problem)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=CHUNK)
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes; ParseError past max_bytes (the caller's message) or if unreadable."""
    with open_regular(path) as f:
        try:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        except OSError as exc:
            raise ParseError(path, os_reason(exc)) from exc
    return data


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, read in chunks (a big file is never held whole)."""
    digest = hashlib.sha256()
    with open_regular(path) as f:
        try:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                digest.update(chunk)
        except OSError as exc:
            raise ParseError(path, os_reason(exc)) from exc
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """A read-only stream that hashes what is read through it (gzip reads ahead in chunks)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        self.digest.update(data)
        buffer[:len(data)] = data
        return len(data)

    def finish(self) -> str:
        """Hash what is left unread and return the sha256 of the whole file."""
        for chunk in iter(lambda: self.raw.read(CHUNK), b""):
            self.digest.update(chunk)
        return self.digest.hexdigest()


class LineReader:
    """The lines of a file (inflated when it is .gz), each bounded, the total inflation bounded.

    ``sha256`` is the hash of the file's bytes once every line has been read.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.sha256 = ""

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        path, limits = self.path, self.limits
        bound = limits.text_bytes  # a property: read once, not twice a line
        with open_regular(path) as raw:
            hashing = _Hashing(raw)
            gz = path.name.lower().endswith(".gz")
            stream: BinaryIO = gzip.GzipFile(fileobj=hashing, mode="rb") if gz else \
                io.BufferedReader(hashing, CHUNK)  # type: ignore[assignment]
            inflated = 0
            number = 0
            try:
                while True:
                    line = stream.readline(bound + 1)
                    if not line:
                        break
                    number += 1
                    inflated += len(line)
                    if gz and inflated > limits.inflate_bytes:
                        raise ParseError(path, limits.inflates_too_much())
                    if len(line) > bound and not line.endswith(b"\n"):
                        raise ParseError(path, limits.record_too_big(number))
                    yield number, line
            except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
                raise ParseError(path, "不是 gzip 文件（或文件不完整）") from exc
            except OSError as exc:
                raise ParseError(path, os_reason(exc)) from exc
            self.sha256 = hashing.finish()


def check_zip(path: Path, data: bytes, limits: Limits) -> None:
    """ParseError if the zip's members inflate past the limit (counted, not trusted from headers)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # the format's own parser says what is wrong
    left = limits.zip_bytes
    with archive:
        for info in archive.infolist():
            if info.file_size > left:  # the header alone already says too much
                raise ParseError(path, limits.zip_too_big())
            try:
                with archive.open(info) as member:
                    while chunk := member.read(min(CHUNK, left + 1)):
                        left -= len(chunk)
                        if left < 0:
                            raise ParseError(path, limits.zip_too_big())
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
                    RuntimeError):
                return  # damaged or encrypted: the format's own parser reports it
