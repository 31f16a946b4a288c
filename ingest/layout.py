"""Where the title is on a printed page (GB/T 9704): centred lines in a larger font on the first page
with text, below the 发文机关标志 and the 发文字号, above the body; found from font sizes and x
positions rather than line order (a site banner or a 发文字号 line can come first).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Collection, Protocol, Sequence

from .normalize import remove_cjk_spaces
from .structure.common import fold_radicals, is_date_line, normalize_doc_number

# Lines in a large font that are not the title: the red header (XX文件), 签发人, 密级/紧急程度,
# 附件N, a 发文字号, a browser's page title (…_中国政府网), a heading ending in ：.
_NOT_TITLE = re.compile(r"(.{2,30}文件|签发人[:：].*|[★*].*|(绝密|机密|秘密|特急|加急)\S{0,4}|"
                        r"附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:]?|.*[_|].*(网|www).*|.*[：:])$")
_MIN_STEP = 1.0  # points larger than the body text
_MAX_TITLE = 120
_OCR_SIZE_SPREAD = 0.35


class PrintedLine(Protocol):
    text: str
    x0: float
    x1: float
    top: float
    size: float
    page: int


def _body_size(lines: Sequence[PrintedLine]) -> float:
    """The size most of the text is set in (by characters)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0]


def _centre(lines: Sequence[PrintedLine], body: float) -> float:
    """The middle of the text block, from where body lines start and end."""
    body_lines = [l for l in lines if abs(l.size - body) < 0.75] or list(lines)
    lefts = sorted(l.x0 for l in body_lines)
    rights = sorted(l.x1 for l in body_lines)
    return (lefts[len(lefts) // 10] + rights[9 * (len(rights) - 1) // 10]) / 2


def _candidate(line: PrintedLine, body: float, centre: float) -> bool:
    text = line.text.replace(" ", "")
    if line.size < body + _MIN_STEP or _NOT_TITLE.fullmatch(text) or is_date_line(text):
        return False
    if normalize_doc_number(text) is not None:
        return False
    return abs((line.x0 + line.x1) / 2 - centre) <= max(2 * line.size, 24)


def layout_title(lines: Sequence[PrintedLine], ocr_pages: Collection[int] = ()) -> str | None:
    """The title printed on the first page with text, or None when no line looks like one."""
    if not lines:
        return None
    page = [l for l in lines if l.page == lines[0].page]
    # OCR only estimates type sizes (from glyph boxes): lines of one title differ by up to a third
    step = (lambda size: _OCR_SIZE_SPREAD * size) if lines[0].page in ocr_pages else (lambda _: 0.6)
    body = _body_size(lines)
    centre = _centre(page, body)
    groups: list[list[PrintedLine]] = []
    previous = None
    for line in page:
        if not _candidate(line, body, centre):
            previous = None
            continue
        if (previous is not None and abs(line.size - previous.size) <= step(previous.size)
                and line.top - previous.top <= 2.5 * line.size):
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = line
    groups = [g for g in groups if 4 <= len("".join(l.text for l in g).replace(" ", ""))
              <= _MAX_TITLE]
    if not groups:
        return None
    best = max(groups, key=lambda g: g[0].size)  # the first of the largest, on ties
    return fold_radicals(remove_cjk_spaces(" ".join(l.text for l in best)))


_DIGITS_ONLY = re.compile(r"^[\d\s()（）〔〕\[\].．]+$")
_NEEDS_DIGITS = re.compile(r"[年月日第号]")


def _fits_between(digits: list[dict], line: list[dict]) -> bool:
    """Each digit's middle falls in a gap of the line above, none on one of its characters."""
    return all(not any(c["x0"] < (d["x0"] + d["x1"]) / 2 < c["x1"] for c in line if c["text"].strip())
               for d in digits if d["text"].strip())


def merge_displaced_digits(groups: list[list[dict]]) -> list[list[dict]]:
    """`年 月 日` over `2023 3 28`: digits a PDF set on their own baseline, put back in the gaps.

    Some producers draw the Latin digits of a Chinese line in another font, a little lower; line
    grouping by position then splits 2023年3月28日 into two lines.
    """
    out: list[list[dict]] = []
    for group in groups:
        text = "".join(c["text"] for c in group)
        if out and _DIGITS_ONLY.match(text) and any(ch.isdigit() for ch in text):
            above = out[-1]
            step = min(c["top"] for c in group) - max(c["top"] for c in above)
            size = max(c["size"] for c in above)
            if 0 < step <= 1.0 * size and _NEEDS_DIGITS.search("".join(c["text"] for c in above)) \
                    and _fits_between(group, above):
                out[-1] = sorted(above + group, key=lambda c: c["x0"])
                continue
        out.append(group)
    return out
