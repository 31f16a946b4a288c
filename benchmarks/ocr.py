"""OCR accuracy and speed on a scan the benchmark makes itself: the reference bulletin rendered
with the CJK font, rasterized at 200 dpi into an image-only PDF, each page OCR'd.

Prints the character error rate (edit distance over the text layer's characters, whitespace
ignored) and seconds per page for the page segmentation ingest uses (ocr.PSM: --psm 6, one
uniform block of text) beside tesseract's default --psm 3 (automatic layout), in the same run.

    python benchmarks/ocr.py [--pages N]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args()

    import pdfplumber
    from rapidfuzz.distance import Levenshtein

    from ingest import ocr
    from ingest.formats.pdf import page_lines, without_page_numbers, Line
    from render import bulletin_paras, render_pdf
    from test_ocr import rasterize

    with tempfile.TemporaryDirectory() as tmp:
        printed = render_pdf(Path(tmp) / "printed.pdf", bulletin_paras()).path
        scan = rasterize(printed, Path(tmp) / "scan.pdf")
        with pdfplumber.open(printed) as text_pdf, pdfplumber.open(scan) as scan_pdf:
            count = len(text_pdf.pages) if not args.pages else min(args.pages, len(text_pdf.pages))
            known = ["".join(l.text for l in page_lines(text_pdf.pages[i], i + 1))
                     for i in range(count)]
            print(f"reference bulletin, {count} pages scanned at 200 dpi, tesseract {ocr.LANG}")
            print(f"{'page segmentation':<28}{'CER':>8}{'s/page':>9}")
            for psm, label in ((ocr.PSM, f"--psm {ocr.PSM} (used by ingest)"), (3, "--psm 3 (default)")):
                errors = chars = 0
                start = time.perf_counter()
                for i in range(count):
                    lines = ocr.ocr_page(scan, scan_pdf.pages[i], i + 1, psm=psm)
                    read = "".join(l.text for l in without_page_numbers(
                        [Line(o.text, o.x0, o.x1, o.top, o.size, i + 1) for o in lines]))
                    ref, hyp = re.sub(r"\s", "", known[i]), re.sub(r"\s", "", read)
                    errors += Levenshtein.distance(ref, hyp)
                    chars += len(ref)
                seconds = (time.perf_counter() - start) / count
                print(f"{label:<28}{errors / chars:>8.2%}{seconds:>9.1f}")


if __name__ == "__main__":
    main()
