"""Word 97 .doc and WPS .wps through LibreOffice: a .doc converted from a DOCX the test writes,
the real .doc from an office, and what a machine without LibreOffice says."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ingest import ParseError, parse_file
from render import DATA, render_docx

TITLE = "示例县人民政府办公室关于做好防汛抗旱工作的通知"
BODY = "各乡镇人民政府，县直各部门：入汛以来，我县降雨偏多，各单位要落实防汛责任，确保安全度汛。"
REAL_DOC = DATA / "office_files" / "bailichuan869-commits+zh" / "006-P020121122516762746185.doc"


@pytest.fixture(scope="module")
def word97(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .doc made by LibreOffice from a DOCX written with python-docx."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("doc")
    source = render_docx(folder / "notice.docx", [(TITLE, "Title"), (BODY, None),
                                                   ("一、压实责任", None),
                                                   ("各单位主要负责人是防汛第一责任人。", None),
                                                   ("示例县人民政府办公室", None),
                                                   ("2023年6月1日", None)])
    out = folder / "out"
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    doc_path = out / "notice.doc"
    assert doc_path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE Word 97 file
    return doc_path


def test_a_word97_doc_is_converted_and_read(word97: Path) -> None:
    (doc,) = parse_file(word97)
    assert doc.title == TITLE
    assert doc.source is not None and doc.source.format == "doc"
    assert BODY in doc.text
    assert "各单位主要负责人是防汛第一责任人。" in doc.text
    (original,) = parse_file(word97.parent.parent / "notice.docx")
    assert (doc.title, doc.text, doc.date) == (original.title, original.text, original.date)


def test_a_wps_file_in_word97_format_is_read(word97: Path, tmp_path: Path) -> None:
    wps = tmp_path / "notice.wps"
    wps.write_bytes(word97.read_bytes())
    (doc,) = parse_file(wps)
    assert (doc.title, doc.source.format) == (TITLE, "wps")
    assert BODY in doc.text


def test_without_libreoffice_the_reason_names_the_package(word97: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ParseError) as caught:
        parse_file(word97)
    assert caught.value.reason == ("无法读取 .doc/.wps：未安装 LibreOffice（请安装 Debian 软件包 "
                                   "libreoffice-writer-nogui）")


def test_a_file_that_is_not_word_is_refused_with_a_reason(tmp_path: Path) -> None:
    fake = tmp_path / "fake.doc"
    fake.write_text("<html>not found</html>", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        parse_file(fake)
    assert caught.value.reason == "不是 Word 97/WPS 文档（文件头不符）"


def test_the_real_office_doc_is_ingested() -> None:
    if not REAL_DOC.is_file():
        pytest.skip(f"real office files not found at {REAL_DOC.parent}")
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    (doc,) = parse_file(REAL_DOC)
    assert (doc.title, doc.extra["attachment"]) == ("企业会计准则解释第5号", "附件")
    assert doc.text.startswith("一、非同一控制下的企业合并中")
    assert doc.text.endswith("七、本解释自2013年1月1日施行，不要求追溯调整。")
