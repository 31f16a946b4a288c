"""Word 97 .doc and WPS .wps: converted to .docx by LibreOffice headless, then read as DOCX."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..model import Document, ParseError, Source
from .docx import parse_docx

CONVERT_SECONDS = 120
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97 and WPS files are OLE compound files


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes) -> bytes:
    """The file's bytes as DOCX, through `soffice --headless --convert-to docx`."""
    soffice = _soffice()
    if soffice is None:
        raise ParseError(path, "无法读取 .doc/.wps：未安装 LibreOffice（请安装 Debian 软件包 "
                               "libreoffice-writer-nogui）")
    with tempfile.TemporaryDirectory(prefix="gongwen-doc-") as tmp:
        work = Path(tmp)
        source = work / f"in{path.suffix.lower()}"
        source.write_bytes(data)
        # a private profile: parallel conversions would otherwise fight over one lock
        profile = (work / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", str(work / "out"), str(source)]
        _run(path, command)
        out = work / "out" / "in.docx"
        if not out.is_file():
            raise ParseError(path, "LibreOffice 未能转换此文件（文件损坏或不是 Word/WPS 文档？）")
        return out.read_bytes()


def _run(path: Path, command: list[str]) -> None:
    """Run soffice in its own process group, killed whole on timeout or interruption."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise ParseError(path, f"LibreOffice 转换超过 {CONVERT_SECONDS} 秒仍未完成") from exc
    finally:  # also when --parse-seconds interrupts: no soffice left behind
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def parse_doc(path: Path, data: bytes, doc_id: str, source: Source) -> list[Document]:
    """A .doc or .wps file → one Document (its text read from the converted DOCX)."""
    if not data.startswith(_OLE) and not data.startswith(b"PK"):
        raise ParseError(path, "不是 Word 97/WPS 文档（文件头不符）")
    return parse_docx(path, convert_to_docx(path, data), doc_id, source)
