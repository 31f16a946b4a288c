"""The original files, kept in the index folder by content: files/<sha256[:2]>/<sha256>.

A batch copies every file it accepts before the commit that adds its documents (a crash leaves
at worst a file no document names, removed by the next batch), and removes, after its last
commit, every file no document names any more. Readers only ever look a hash up here: a name
that is not 64 hex digits is refused before the disk is touched, so no path leaves the store.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from index.layout import ORIGINALS, fsync_dir

STORE = ORIGINALS
CHUNK = 1 << 20
_SHA = re.compile(r"^[0-9a-f]{64}$")


def stored_path(root: Path, sha256: str) -> Path:
    """Where the file with this hash lives (or would live) under the index at root."""
    if not _SHA.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return Path(root) / STORE / sha256[:2] / sha256


def original_file(root: Path, sha256: str) -> Path | None:
    """The kept original with this hash, or None (also for anything that is not a hash)."""
    if not _SHA.match(sha256):
        return None
    path = stored_path(root, sha256)
    return path if path.is_file() else None


def has(root: Path, sha256: str | None) -> bool:
    return bool(sha256) and original_file(root, sha256) is not None  # type: ignore[arg-type]


def keep(root: Path, source: Path) -> str | None:
    """Copy source into the store under the hash of the bytes copied; None if it cannot be read.

    Written to a temporary name, fsynced, then renamed: the store never holds a partial file
    under a hash."""
    store = Path(root) / STORE
    store.mkdir(exist_ok=True)
    tmp = store / f".{os.getpid()}.{source.name.encode().hex()[:32]}.tmp"
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        target = stored_path(root, sha)
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return sha
    except OSError:
        tmp.unlink(missing_ok=True)
        return None


def prune(root: Path, wanted: set[str]) -> int:
    """Remove every kept file whose hash is not wanted, and leftovers of killed copies."""
    store = Path(root) / STORE
    if not store.is_dir():
        return 0
    removed = 0
    for entry in os.scandir(store):
        if entry.is_file() and entry.name.endswith(".tmp"):
            os.unlink(entry.path)
        elif entry.is_dir() and len(entry.name) == 2:
            for f in os.scandir(entry.path):
                if f.name not in wanted:
                    os.unlink(f.path)
                    removed += 1
    return removed
