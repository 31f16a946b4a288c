"""Test data and helpers for the web app and CLI tests (fixtures are in conftest.py)."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

from render import SEED, RenderedPdf, reference_text, render_bulletin_pdf

BULLETIN_TITLE = "大理州高位推动，系统谋划 以典型引领全面推进改革"
BULLETIN_ISSUE = "《改革快报》2021年第12期（总第38期）"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
SAMPLE_TITLE = "示例州总工会关于举办职工技能大赛的通知"
SCRIPT_TITLE = "示例县应急管理局关于开展安全生产大检查的通知"

# A notice whose body carries markup that must come out as text everywhere.
SCRIPT_NOTICE = f"""示例县应急管理局关于开展安全生产大检查的通知

各乡镇，县直各部门：

安全生产大检查期间，网上填报系统须防范脚本注入，类似{SCRIPT}的代码一律按文本处理。

示例县应急管理局

2021年7月1日
"""

# A demo document: marked sample, so every page must say it is not to be cited.
SAMPLE_NOTICE = """---
sample: true
---
示例州总工会关于举办职工技能大赛的通知

示工发〔2021〕3号

各县市总工会：

为推动技能人才培养，决定举办全州职工技能大赛。现将有关事项通知如下。

一、比赛项目

设电工、焊工两个项目，参赛职工须为在岗职工。

示例州总工会

2021年3月1日
"""


def write_corpus(folder: Path) -> RenderedPdf:
    """The test corpus: the reference bulletin as a printed PDF, a <script> notice, a sample."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script-notice.txt").write_text(SCRIPT_NOTICE, encoding="utf-8")
    (folder / "sample-notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    return render_bulletin_pdf(folder / "gaigekuaibao-2021-12.pdf")


def find_doc_id(app, title: str) -> str:
    """The doc_id of the indexed document with this exact title."""
    from index import SearchRequest
    from search_app.store import get_store

    results = get_store(app).get().search(SearchRequest(q=title, per_page=50))
    ids = [hit.doc_id for hit in results.hits if hit.title == title]
    assert len(ids) == 1, f"expected one document titled {title!r}, got {ids}"
    return ids[0]


def merge_marks(html: str) -> str:
    """Join adjacent highlights (<mark>产业</mark><mark>工人</mark> → <mark>产业工人</mark>)."""
    return html.replace("</mark><mark>", "")


class ServerThread:
    """A real HTTP server (werkzeug) on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app) -> None:
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


def copy_seed(folder: Path) -> Path:
    """Copy the reference bulletin into folder (what `gongwen serve` builds from in tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "gaigekuaibao-2021-12.txt"
    if SEED.is_file():
        shutil.copyfile(SEED, target)
    else:
        target.write_text(reference_text(), encoding="utf-8")
    return folder
