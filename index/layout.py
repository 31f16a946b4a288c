"""The index folder on disk: generations, the pointer file, the batch lock, durable writes.

The folder a user names holds::

    gongwen-index.json   the pointer: schema version, analysis fingerprint, current generation
    g000001/             one complete whoosh index (a "generation")
    staging/             segments being built by a batch, not yet part of any generation
    write.lock           held (flock) by the one process writing a batch
    files/               the original files, content-addressed (index/originals.py)

Readers open the generation the pointer names. ``--rebuild`` builds the next generation beside
the live one and replaces the pointer with os.replace, so a reader sees either the old index or
the new one, never a mix; old generations are removed once the pointer has moved. Every file
whoosh writes is fsynced before the table of contents that names it, and the pointer before it
replaces the old one, so a power cut leaves the last committed state.

Both paths open a generation here (:func:`open_whoosh`); a batch and create_index make one
(:func:`create_generation`) and point to it (:func:`point_to`).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.filedb.structfile import StructFile

from index.mapped import MappedStorage
from index.schema import build_schema, current_version
from index.types import IndexError_

POINTER = "gongwen-index.json"
META_FILE = POINTER
INDEX_NAME = "MAIN"
LOCK_FILE = "write.lock"
STAGING = "staging"
ORIGINALS = "files"  # index.originals: the original files, by SHA-256
_GENERATION = re.compile(r"^g(\d{6})$")
# What a pre-generation index (whoosh files in the folder itself) left behind.
_LEGACY = re.compile(r"^(_?MAIN_.*|MAIN_WRITELOCK|MAIN\.tmp)$")


class IndexLockedError(IndexError_):
    """Another process is writing a batch to this index."""


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in path durable (no-op where directories cannot be synced)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_on_close(f: StructFile) -> None:
    f.file.flush()
    os.fsync(f.file.fileno())


class DurableFileStorage(FileStorage):
    """whoosh's FileStorage, but every file it writes reaches the disk before it is renamed."""

    def create_file(self, name: str, excl: bool = False, mode: str = "wb",
                    **kwargs: Any) -> StructFile:
        f = super().create_file(name, excl=excl, mode=mode, **kwargs)
        inner = f.onclose

        def onclose(sf: StructFile) -> None:
            _fsync_on_close(sf)
            if inner is not None:
                inner(sf)

        f.onclose = onclose
        return f

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        super().rename_file(oldname, newname, safe=safe)
        fsync_dir(Path(self.folder))


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON next to path, fsync it, and move it over path in one step."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_pointer(root: Path) -> dict[str, Any] | None:
    """The pointer file's content, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((root / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pointer_stamp(root: Path) -> tuple[int, int, int] | None:
    """Changes whenever the pointer is replaced: (inode, mtime_ns, size)."""
    try:
        st = os.stat(root / POINTER)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def generation_dir(root: Path, pointer: dict[str, Any]) -> Path:
    """The folder of the generation a pointer names (the root itself for an old layout)."""
    name = pointer.get("generation")
    if isinstance(name, str) and _GENERATION.match(name):
        return root / name
    return root


def generations(root: Path) -> list[str]:
    """Generation folders present under root, oldest first."""
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return sorted(n for n in names if _GENERATION.match(n) and (root / n).is_dir())


def next_generation(root: Path) -> str:
    """A name newer than every generation folder present."""
    existing = generations(root)
    number = int(existing[-1][1:]) + 1 if existing else 1
    return f"g{number:06d}"


def is_ours(root: Path, name: str) -> bool:
    """True for the names this module puts in an index folder (left over by a killed run)."""
    return bool(_GENERATION.match(name) or name in (POINTER, LOCK_FILE, STAGING, ORIGINALS)
                or (name.startswith(f".{POINTER}.") and name.endswith(".tmp")))


def remove_stale(root: Path, keep: str | None) -> None:
    """Remove generations other than keep, staging leftovers and files of the old layout."""
    for name in os.listdir(root):
        path = root / name
        stale_generation = _GENERATION.match(name) and name != keep
        stale_tmp = name.startswith(f".{POINTER}.") and name.endswith(".tmp")
        legacy = keep is not None and _LEGACY.match(name)
        if name == STAGING or stale_generation or stale_tmp or legacy:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    path.unlink()
                except OSError:
                    pass


def clean_generation(folder: Path) -> None:
    """Remove what a killed writer left in a generation: whoosh's temp folder and TOC."""
    for name in os.listdir(folder):
        if name.endswith(".tmp") and (folder / name).is_dir():
            shutil.rmtree(folder / name, ignore_errors=True)
        elif re.match(r"^_MAIN_\d+\.toc\.", name):
            try:
                (folder / name).unlink()
            except OSError:
                pass


class WriteLock:
    """The index's batch lock: an flock on write.lock, released when the process dies."""

    def __init__(self, root: Path, wait: bool = False, timeout: float | None = None,
                 poll: float = 0.1) -> None:
        self.root = root
        self.wait = wait
        self.timeout = timeout  # with wait: give up after this many seconds (None: never)
        self.poll = poll
        self._fd: int | None = None

    def acquire(self) -> WriteLock:
        path = self.root / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if not self.wait or (deadline is not None and time.monotonic() > deadline):
                        raise IndexLockedError(self._busy_message(fd)) from e
                    time.sleep(self.poll)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def _busy_message(self, fd: int) -> str:
        try:
            pid = os.pread(fd, 32, 0).decode("ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        who = f"（进程号 {pid}）" if pid.isdigit() else ""
        return (f"索引 {self.root} 正由另一个 gongwen ingest 写入{who}；"
                "请等它结束，或加 --wait 重新运行")

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WriteLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def open_whoosh(folder: Path, durable: bool = False, mapped: bool = True) -> FileIndex:
    """The whoosh index in a generation folder (durable: every written file is fsynced).

    mapped=True (the read path): every segment file is a view of one memory map shared by all
    readers and threads (index.mapped), never a copy. mapped=False for the write path: a
    batch that only looks up a few terms reads the file where it needs to.
    """
    if mapped and not durable:
        return FileIndex(MappedStorage(str(folder)), indexname=INDEX_NAME)
    kind = DurableFileStorage if durable else FileStorage
    storage = kind(str(folder), supports_mmap=mapped)
    return FileIndex(storage, indexname=INDEX_NAME)


def is_index(path: Path) -> bool:
    """True if path holds an index (a pointer file), whatever its version."""
    return (Path(path) / META_FILE).is_file()


def can_create(path: Path) -> bool:
    """True if path is missing, empty, or holds only what a killed index creation left."""
    path = Path(path)
    if not path.exists():
        return True
    if not path.is_dir() or is_index(path):
        return False
    return all(is_ours(path, name) for name in os.listdir(path))


def create_generation(root: Path) -> tuple[str, FileIndex]:
    """A new, empty generation folder under root (not yet pointed to)."""
    name = next_generation(root)
    folder = root / name
    folder.mkdir(parents=True)
    storage = DurableFileStorage(str(folder))
    ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
    fsync_dir(root)
    return name, ix


def point_to(root: Path, name: str) -> None:
    """Switch the index at root to generation name, atomically, then drop older ones."""
    write_json_atomic(root / META_FILE, {**current_version(), "generation": name})
    remove_stale(root, keep=name)
