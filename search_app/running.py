"""Where a running `gongwen serve` listens, so that `gongwen search` may ask it (issue 14).

`serve` writes one small JSON record per server into ``$XDG_CACHE_HOME/gongwen-search/servers``
(host, port, pid, the index's resolved path, the settings a search depends on and a random
token) and removes it on exit. Every response of that server carries the token in a header, so
a process that took the port over after a crash is never believed. `gongwen search` asks a
server only when its record names the same index and the same settings and its pid is alive;
anything else (no record, a dead pid, a closed port, a slow or failed answer) is a silent
fallback to the local search. Only the standard library is imported: a search answered by a
server must not pay for the index's imports.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from flask import Flask, Response

TOKEN_HEADER = "X-Gongwen-Server"
# A server on this machine accepts at once; a refused or silent port is a stale record.
CONNECT_SECONDS = 0.25
# A live server answering with our token: a long question on a big index may take a while,
# but a server much slower than a local search is not worth waiting for.
ANSWER_SECONDS = 5.0
# The settings that change a search's answer (search_app.config): a server started with other
# values is not asked, since its answer would differ from the local one.
ANSWER_SETTINGS = ("USERDICT", "PER_PAGE", "MAX_PER_PAGE", "MAX_PAGE", "MAX_QUERY_LENGTH",
                   "PASSAGES_PER_DOC")


@dataclass(frozen=True)
class ServerRecord:
    """One running server: where it listens, for which index, and the token it answers with."""

    host: str
    port: int
    pid: int
    index: str  # the index folder, resolved
    settings: str  # settings_key() of the server's configuration
    token: str
    path: Path | None = None  # the record's file (not written into it)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "path"}


def records_dir() -> Path:
    """$XDG_CACHE_HOME/gongwen-search/servers (the dictionary cache's folder, one level down)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gongwen-search" / "servers"


def settings_key(config: Mapping[str, Any]) -> str:
    """The answer-changing settings of config, as one comparable string."""
    return json.dumps({k: None if config.get(k) is None else str(config.get(k))
                       for k in ANSWER_SETTINGS}, sort_keys=True)


def _index_key(index_path: Path) -> str:
    return hashlib.sha256(str(index_path.resolve()).encode("utf-8")).hexdigest()[:16]


def announce(app: Flask, index_path: Path, host: str, port: int) -> ServerRecord | None:
    """Record this server (its port bound, before it serves); stamp app's answers with the token.

    Returns None, recording nothing, when the cache folder cannot be written: searches from the
    shell are then local, which costs time, not answers.
    """
    token = secrets.token_hex(16)
    record = ServerRecord(host=host, port=port, pid=os.getpid(), index=str(index_path.resolve()),
                          settings=settings_key(app.config), token=token)
    stamp_answers(app, token)
    folder = records_dir()
    path = folder / f"{_index_key(index_path)}-{record.pid}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the token: ours only
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record.to_dict(), f)
        os.replace(part, path)
    except OSError:
        return None
    return ServerRecord(**record.to_dict(), path=path)


def stamp_answers(app: Flask, token: str) -> None:
    """Send token with every answer of app (announce does it; a pre-fork server whose workers
    build their own app calls it in each worker with the announced record's token)."""

    def stamp(response: Response) -> Response:
        response.headers[TOKEN_HEADER] = token
        return response

    app.after_request(stamp)


def withdraw(record: ServerRecord | None) -> None:
    """Remove the record written by announce (when the server stops)."""
    if record is not None and record.path is not None:
        try:
            record.path.unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, but its record is not ours
        return True
    return True


def running_servers(index_path: Path) -> Iterator[ServerRecord]:
    """The records of live servers on index_path; those of dead processes are removed."""
    folder = records_dir()
    try:
        paths = sorted(folder.glob(f"{_index_key(index_path)}-*.json"))
    except OSError:
        return
    want = str(index_path.resolve())
    for path in paths:
        try:
            record = ServerRecord(**json.loads(path.read_text(encoding="utf-8")), path=path)
        except (OSError, ValueError, TypeError):
            continue
        if not _alive(record.pid):
            withdraw(record)  # a server killed without its cleanup
            continue
        if record.index == want:
            yield record


def _connect_host(host: str) -> str:
    """Where to connect for a server listening on host (a wildcard address: this machine)."""
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "*": "127.0.0.1"}.get(host, host)


def ask(index_path: Path, path: str, params: Mapping[str, Any],
        config: Mapping[str, Any]) -> Any | None:
    """The JSON a running server on index_path answers GET path?params with, or None.

    None when no server with config's answer-changing settings runs on the index, or none
    answers 200 with its token: the caller then searches locally (and reports errors itself).
    """
    key = settings_key(config)
    url = f"{path}?{urlencode(params, doseq=True)}" if params else path
    for record in running_servers(index_path):
        if record.settings != key:
            continue
        import http.client  # here: a search without a server does not pay for it

        conn = http.client.HTTPConnection(_connect_host(record.host), record.port,
                                          timeout=CONNECT_SECONDS)
        try:
            conn.connect()
            assert conn.sock is not None
            conn.sock.settimeout(ANSWER_SECONDS)
            conn.request("GET", url, headers={"Accept": "application/json"})
            response = conn.getresponse()
            body = response.read()
            if response.status == 200 and response.getheader(TOKEN_HEADER) == record.token:
                return json.loads(body.decode("utf-8"))
        except (OSError, http.client.HTTPException, ValueError):
            continue
        finally:
            conn.close()
    return None
