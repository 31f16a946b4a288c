"""Attachments benchmark: what reading a notice's folder as one group costs and buys.

A folder holds a notice (DOCX) listing N attachments under 附件：, N-1 of them DOCX known
by their title and one PDF rendered with a CJK font. The batch indexes the folder, then one
attachment changes and the folder is indexed again. Beside it, in the same run, the baseline
reads every file alone (ingest.batch.FOLDER_FILES = 0, what main did before): no file is
re-read with its neighbours, and no attachment is linked to its notice.

    python benchmarks/attachments.py               # a notice and 8 attachments
    python benchmarks/attachments.py --attachments 15
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # render.py: the files as the tests make them

NOTICE = "示例州总工会关于开展劳动竞赛的通知"


def build(folder: Path, attachments: int) -> list[Path]:
    """The notice and its attachments; the paths of the attachments."""
    from render import Para, render_docx, render_pdf

    folder.mkdir(parents=True)
    titles = [f"劳动竞赛第{n}号工作细则" for n in range(1, attachments + 1)]
    render_docx(folder / "通知.docx", [
        ("示工发〔2021〕7号", None), (NOTICE, "Title"), ("各县市总工会：", None),
        ("决定在全州开展劳动竞赛，现将有关事项通知如下。", None),
        ("附件：" + " ".join(f"{n}. 《{t}》" for n, t in enumerate(titles, start=1)), None),
        ("示例州总工会", None), ("2021年3月8日", None)])
    paths = [render_pdf(folder / "细则1.pdf", [Para(titles[0], 20, "center", 0, 20),
                                                Para("第一项细则的正文，竞赛分两个阶段。")]).path]
    for n, title in enumerate(titles[1:], start=2):
        paths.append(render_docx(folder / f"细则{n}.docx", [
            (title, "Title"), (f"第{n}项细则的正文：各单位按季度报送竞赛进展。", None)]))
    return paths


def run(folder: Path, changed: Path, index: Path) -> tuple[float, float, int, bool]:
    """(seconds to index, seconds to index again after the change, files re-read, linked)."""
    from render import render_docx
    from index import open_index, sync_paths

    start = time.perf_counter()
    sync_paths(index, [folder], jobs=1)
    first = time.perf_counter() - start
    render_docx(changed, [("劳动竞赛第2号工作细则", "Title"), ("改过的正文：按月报送。", None)])
    start = time.perf_counter()
    report = sync_paths(index, [folder], jobs=1)
    again = time.perf_counter() - start
    with open_index(index) as ix:
        linked = ix.get_document(changed.stem).attachment_of is not None
    return first, again, len(report.added) + len(report.updated), linked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, default=8, help="attachments in the folder")
    args = parser.parse_args(argv)
    import ingest.batch
    from index import setup_analysis

    setup_analysis()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm" / "inbox"  # imports and first-call costs, paid by neither
        run(warm, build(warm, 2)[1], warm.parent / "idx")
        ours = ingest.batch.FOLDER_FILES
        try:
            for label, limit in (("ours (folder group)", ours), ("baseline (file by file)", 0)):
                ingest.batch.FOLDER_FILES = limit
                folder = Path(tmp) / label.split()[0] / "inbox"
                changed = build(folder, args.attachments)[1]
                rows.append((label, *run(folder, changed, folder.parent / "idx")))
        finally:
            ingest.batch.FOLDER_FILES = ours
    print(f"# a notice and {args.attachments} attachments; one attachment changed")
    print(f"{'':<26}{'index s':>9}{'again s':>9}{'re-read':>9}  linked")
    for label, first, again, reread, linked in rows:
        print(f"{label:<26}{first:>9.2f}{again:>9.2f}{reread:>9}  {'yes' if linked else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
