"""What keeping PDF tables whole costs: parse time per file with pdfplumber's table finder beside
the baseline without it (tables shredded into lines, as before), in the same run.

Files: a ruled table the benchmark renders itself, the reference bulletin rendered (prose, no
ruling), a page of text over a fine grid of rules (the finder's worst case, which it skips), and the real text-layer PDFs under ../shared/data (annual reports with statistics
tables, office files) when present; scanned ones are left out (OCR time would swamp the figure).

    python benchmarks/tables.py [--repeat N] [--limit N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

DATA = REPO.parent / "shared" / "data"
# Text-layer PDFs only (the others are scans or vector outlines that go through OCR).
REAL = ["pdfs/*.pdf", "office_files/Fungwingwaa+cee/*.pdf", "office_files/z305760276+nnzr/*.pdf",
        "office_files/zllwhu+heritage-front/*.pdf",
        "office_files/bailichuan869-commits+zh/020-*.pdf"]


def _files(tmp: Path, limit: int) -> list[Path]:
    from render import render_bulletin_pdf, render_table_pdf

    rows = [["检查项目", "检查单位", None, "问题数"]] + [
        [f"{n}、检查点{n}", str(n * 3), "处", str(n)] for n in range(1, 16)]
    files = [render_table_pdf(tmp / "rendered-table.pdf", ["现将检查情况统计如下。"], rows,
                              ["请于月底前完成整改。"]),
             render_bulletin_pdf(tmp / "rendered-bulletin.pdf").path]
    files.append(_grid_pdf(tmp / "rendered-fine-grid.pdf"))
    for pattern in REAL:
        files += sorted(DATA.glob(pattern))
    return files[:limit] if limit else files


def _grid_pdf(path: Path) -> Path:
    """A page of text over a 100 x 100 grid of rules (graph paper, a chart): no table in it, and
    the finder must not spend seconds finding that out."""
    from reportlab.pdfgen import canvas
    from render import _font

    c = canvas.Canvas(str(path), pagesize=(595.28, 841.89))
    for i in range(100):
        c.line(20, 100 + i * 7, 570, 100 + i * 7)
        c.line(20 + i * 5.5, 100, 20 + i * 5.5, 793)
    c.setFont(_font(), 12)
    c.drawString(80, 60, "图1 全县安全生产检查问题分布（单位：处）")
    c.showPage()
    c.save()
    return path


def _parse(path: Path, repeat: int) -> tuple[float, int, int]:
    """(median seconds, passages, table passages) of parsing the file."""
    from ingest.pipeline import parse_file

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        (doc, *_) = parse_file(path)
        times.append(time.perf_counter() - start)
    passages = list(doc.passages())
    return statistics.median(times), len(passages), sum(1 for p in passages if p.rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="parses per file and mode (median)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (0: all)")
    args = parser.parse_args()

    import ingest.formats.pdf as pdf

    finder = pdf.pdf_tables
    with tempfile.TemporaryDirectory() as tmp:
        files = _files(Path(tmp), args.limit)
        print(f"{len(files)} PDFs, median of {args.repeat} parses each; baseline: no table finder")
        print(f"{'file':<34}{'passages':>9}{'tables':>7}{'base s':>8}{'tables s':>9}{'ratio':>7}")
        _parse(files[0], 1)  # warm up imports and caches before anything is timed
        total_base = total_now = 0.0
        for path in files:
            pdf.pdf_tables = lambda page: []  # the baseline: every line running text
            base, base_passages, _ = _parse(path, args.repeat)
            pdf.pdf_tables = finder
            now, passages, tables = _parse(path, args.repeat)
            total_base += base
            total_now += now
            name = path.name if len(path.name) <= 32 else path.name[:14] + "…" + path.name[-17:]
            print(f"{name:<34}{f'{base_passages}→{passages}':>9}{tables:>7}{base:>8.2f}"
                  f"{now:>9.2f}{now / base:>7.2f}")
        print(f"{'all':<34}{'':>9}{'':>7}{total_base:>8.2f}{total_now:>9.2f}"
              f"{total_now / total_base:>7.2f}")


if __name__ == "__main__":
    main()
