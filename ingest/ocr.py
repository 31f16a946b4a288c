"""OCR for PDF pages that have no text layer (scans, glyphs drawn as vector outlines).

Tesseract with the chi_sim model, through pytesseract. Pages are rendered with pdfium (which
pdfplumber already uses), read line by line with their boxes, so that the PDF parser can find
paragraphs, titles and mastheads from the geometry as it does on a text layer.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import Document, ParseError
from .normalize import CJK, normalize_inline, remove_cjk_spaces

LANG = "chi_sim"
PSM = 6  # one block of text: official documents are one column; --psm 3 (automatic) merged
# or dropped lines of large type (measured side by side in benchmarks/ocr.py)
MIN_DPI, MAX_DPI = 200, 300
PAGE_SECONDS = 180  # one page; the batch's own --parse-seconds limit applies on top
LINE_HEIGHT = 48  # px: tesseract misreads very large type; such lines are read again at this size
MIN_CONFIDENCE = 40  # a line read with less is a drawing, a seal or specks, not text
RED_SHARE = 0.001  # of the page's pixels: less is specks, not a seal or a red header
RED_MARGIN = 60  # red channel above green and blue by this much: red ink, not grey or black
RED_CONFIDENCE = 60  # a red line read with less is a seal's letters or a condensed header garbled
OCR_NOTE = "OCR 识别文本，引用前请核对原件"
_INSTALL = "请安装 Debian 软件包 tesseract-ocr 和 tesseract-ocr-chi-sim"


@dataclass(frozen=True)
class OcrLine:
    """A line read from a page image, its box in PDF points (origin top left, like pdfplumber)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float  # estimated type size


def _visible_chars(page: Any) -> int:
    return sum(1 for c in page.chars if c["text"].strip())


def _image_cover(page: Any) -> float:
    """Share of the page covered by raster images (a scan may be one image or many strips)."""
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for im in page.images:
        w = min(im["x1"], page.width) - max(im["x0"], 0)
        h = min(im["bottom"], page.height) - max(im["top"], 0)
        covered += max(w, 0) * max(h, 0)
    return min(covered / area, 1.0)


def needs_ocr(page: Any) -> bool:
    """No text layer worth the name: nothing but a scan, or glyphs drawn as outlines."""
    chars = _visible_chars(page)
    if chars >= 50:
        return False
    if chars < 10:  # nothing to read unless something is drawn
        return bool(page.images or page.curves or page.rects or page.lines)
    return _image_cover(page) >= 0.6  # a stamp or page number over a scanned page


def page_dpi(page: Any) -> int:
    """The scan's own resolution where a page is one image (not resampled), else 300."""
    best = None
    for im in page.images:
        width_pt = im["x1"] - im["x0"]
        if width_pt > 0.6 * page.width and im.get("srcsize"):
            best = im["srcsize"][0] * 72 / width_pt
    return int(min(max(best or MAX_DPI, MIN_DPI), MAX_DPI))


def check_tesseract(path: Path) -> None:
    """ParseError naming the Debian package when tesseract or its chi_sim model is missing."""
    import pytesseract

    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise ParseError(path, f"PDF 有页面没有文字层，需要 OCR，但未安装 tesseract（{_INSTALL}）") from exc
    if LANG not in languages:
        raise ParseError(path, "PDF 有页面没有文字层，需要 OCR，但 tesseract 缺少简体中文模型 "
                               f"{LANG}（请安装 Debian 软件包 tesseract-ocr-chi-sim）")


def ocr_page(path: Path, page: Any, number: int, psm: int = PSM) -> list[OcrLine]:
    """The page rendered and read by tesseract: its lines top to bottom, cleaned for Chinese."""
    import pytesseract

    dpi = page_dpi(page)
    image, red = split_red_ink(page.to_image(resolution=dpi).original)
    try:
        boxes = _read_boxes(image, psm)
        heights = [b[4] for b in boxes]
        usual = statistics.median(heights) if heights else 0
        large = lambda box: box[4] > 1.6 * usual and box[4] > LINE_HEIGHT  # noqa: E731
        texts = [_read_line(image, box[:4], box[4]) or box[5]  # a masthead or a big title
                 if large(box) else box[5] for box in boxes]
        if red is not None:  # red type as large as a masthead (XX文件, 改革快报), not a seal's
            read = [(box, _read_line(red, box[:4], box[4], RED_CONFIDENCE))
                    for box in _read_boxes(red, psm) if large(box)]
            boxes += [box for box, text in read if text]
            texts += [text for _, text in read if text]
            order = sorted(range(len(boxes)), key=lambda i: (boxes[i][1], boxes[i][0]))
            boxes, texts = [boxes[i] for i in order], [texts[i] for i in order]
        scale = 72 / dpi
        lines = [OcrLine(text, x0 * scale, x1 * scale, top * scale, height * scale / 0.9)
                 for (x0, top, x1, _, height, _), text in zip(boxes, clean_ocr_lines(texts))
                 if text]  # CJK glyph boxes are ~0.9 em high
    except RuntimeError as exc:  # pytesseract's timeout
        raise ParseError(path, f"第{number}页 OCR 超过 {PAGE_SECONDS} 秒仍未完成（页面过大或损坏？）") from exc
    except pytesseract.TesseractError as exc:
        raise ParseError(path, f"第{number}页 OCR 失败（tesseract：{exc.message.strip()[:120]}）") from exc
    return _snap_sizes(lines)


def _read_boxes(image: Any, psm: int) -> list[Box]:
    """The image's lines as tesseract finds them."""
    import pytesseract

    return _line_boxes(pytesseract.image_to_data(image, lang=LANG, config=f"--psm {psm}",
                                                 output_type=pytesseract.Output.DICT,
                                                 timeout=PAGE_SECONDS))


def split_red_ink(image: Any) -> tuple[Any, Any | None]:
    """The page in grey with red ink turned white, and the red ink alone in black (None when
    there is hardly any): a 公文's seal lies over its 落款 and date, which tesseract cannot read
    through; the red 发文机关标志 or masthead is read from the second image. Black over red
    stays black."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    red = (rgb[..., 0] > 110) & (rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2]) > RED_MARGIN)
    grey = np.asarray(image.convert("L")).copy()
    grey[red] = 255
    if red.mean() < RED_SHARE:
        return Image.fromarray(grey), None
    return Image.fromarray(grey), Image.fromarray(np.where(red, 0, 255).astype(np.uint8))


Box = tuple[int, int, int, int, float, str]  # x0, top, x1, bottom, word height, text


def _line_boxes(data: dict[str, list]) -> list[Box]:
    """tesseract's words grouped into lines: (x0, top, x1, bottom, word height, text)."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word and word.strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
    boxes = []
    for ids in groups.values():
        if statistics.mean(float(data["conf"][i]) for i in ids) < MIN_CONFIDENCE:
            continue
        x0 = min(data["left"][i] for i in ids)
        top = min(data["top"][i] for i in ids)
        x1 = max(data["left"][i] + data["width"][i] for i in ids)
        bottom = max(data["top"][i] + data["height"][i] for i in ids)
        letters = [i for i in ids if any(c.isalnum() for c in data["text"][i])] or ids
        height = statistics.median(data["height"][i] for i in letters)  # not a comma's height
        boxes.append((x0, top, x1, bottom, height, " ".join(data["text"][i] for i in ids)))
    return _merge_overlaps(sorted(boxes, key=lambda b: (b[1], b[0])))


def _merge_overlaps(boxes: list[Box]) -> list[Box]:
    """Two boxes on one baseline that overlap (财政部文 | 部文件, large type read in two
    pieces) are one line: their union, read again as one when it is large."""
    out: list[Box] = []
    for box in boxes:
        if out:
            x0, top, x1, bottom, height, text = out[-1]
            shared = min(bottom, box[3]) - max(top, box[1])
            if shared > 0.5 * min(bottom - top, box[3] - box[1]) and box[0] < x1 and box[2] > x0:
                out[-1] = (min(x0, box[0]), min(top, box[1]), max(x1, box[2]),
                           max(bottom, box[3]), max(height, box[4]), f"{text} {box[5]}")
                continue
        out.append(box)
    return out


def _read_line(image: Any, box: tuple[int, int, int, int], height: float,
               confidence: float = 0) -> str:
    """One large line read again, scaled to the size tesseract's model reads best ("" when
    read with less than the confidence asked for)."""
    import pytesseract

    x0, top, x1, bottom = box
    pad = int(height / 3)
    crop = image.crop((max(x0 - pad, 0), max(top - pad, 0), x1 + pad, bottom + pad))
    scale = LINE_HEIGHT / height
    crop = crop.resize((max(int(crop.width * scale), 1), max(int(crop.height * scale), 1)))
    if not confidence:
        return pytesseract.image_to_string(crop, lang=LANG, config="--psm 7",
                                           timeout=PAGE_SECONDS).strip()
    data = pytesseract.image_to_data(crop, lang=LANG, config="--psm 7",
                                     output_type=pytesseract.Output.DICT, timeout=PAGE_SECONDS)
    words = [(w, float(c)) for w, c in zip(data["text"], data["conf"]) if w and w.strip()]
    if not words or statistics.mean(c for _, c in words) < confidence:
        return ""
    return " ".join(w for w, _ in words)


def _snap_sizes(lines: list[OcrLine]) -> list[OcrLine]:
    """Sizes within 15 % of a commoner size are that size (OCR boxes jitter; type does not)."""
    left = sorted({line.size for line in lines})
    counts = {s: sum(1 for line in lines if line.size == s) for s in left}
    snapped: dict[float, float] = {}
    while left:
        center = max(left, key=lambda s: (sum(counts[t] for t in left if abs(t - s) <= 0.15 * s), -s))
        group = [s for s in left if abs(s - center) <= 0.15 * center]
        size = round(statistics.median(s for s in group for _ in range(counts[s])), 1)
        snapped.update((s, size) for s in group)
        left = [s for s in left if s not in snapped]
    return [OcrLine(l.text, l.x0, l.x1, l.top, snapped[l.size]) for l in lines]


# ASCII punctuation tesseract puts in Chinese text, and the full-width forms Chinese uses.
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HAN = re.compile(f"[{CJK}]")
_DOUBLED = re.compile(r"([，。、；：])\1+")
_PAGE_NUMBER = re.compile(r"[\s\-—–一_·•]*\d{1,4}[\s\-—–一_·•]*")


def _full_width(text: str) -> str:
    """ASCII , : ; ( ) ? ! next to a Han character → ，：；（）？！ (not 16:00 or 1,600).

    Brackets go in pairs: (2012)厦大教10号 → （2012）厦大教10号.
    """
    out = list(text)
    chinese = [False] * len(text)
    for i, ch in enumerate(text):
        before = text[:i].rstrip()[-1:] or "^"
        after = text[i + 1:].lstrip()[:1] or "$"
        chinese[i] = bool(_HAN.match(before) or _HAN.match(after) or before in "“”）》")
        if ch in ",:" and before.isdigit() and after.isdigit():
            chinese[i] = False
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            j = opened.pop()
            chinese[i] = chinese[j] = chinese[i] or chinese[j]
    for i, ch in enumerate(text):
        if ch in _FULL and chinese[i]:
            out[i] = _FULL[ch]
    return "".join(out)


_STUTTER = re.compile(r"[<>](?=[《》])|(?<=[《》])[<>]")


def _angle_quotes(text: str) -> str:
    """《》 that tesseract read twice (规划>》) or as ASCII (<规划>): one 《 or 》 each."""
    text = _STUTTER.sub("", text)
    return re.sub(f"<(?=[{CJK}])", "《", re.sub(f"(?<=[{CJK}])>", "》", text))


def _quotes(text: str, opened: bool) -> tuple[str, bool]:
    """Double quotes (tesseract confuses “, ” and \") set by what stands around them, else by
    alternation; `opened` carries an open quote over from the line before."""
    out = []
    for i, ch in enumerate(text):
        if ch in '"“”':
            before = text[:i].rstrip()[-1:]
            after = text[i + 1:].lstrip()[:1]
            if not after or after in "，。；：、）》！？":
                ch = "”"
            elif before in "，。：；、（《" and before:
                ch = "“"
            else:
                ch = "”" if opened else "“"
            opened = ch == "“"
        out.append(ch)
    return "".join(out), opened


def clean_ocr_lines(texts: list[str]) -> list[str]:
    """A page's lines: tesseract's spaces between Han characters dropped, Chinese punctuation
    in full width (a quote opened on one line may close on the next)."""
    out = []
    opened = False
    for text in texts:
        text = remove_cjk_spaces(normalize_inline(text))
        if _PAGE_NUMBER.fullmatch(text):
            out.append(text.replace("一", "—"))  # — 3 — read as 一 3 一: still a page number
            continue
        text, opened = _quotes(_full_width(_angle_quotes(text)), opened)
        out.append(_DOUBLED.sub(r"\1", normalize_inline(text)))  # a speck read as a second comma
    return out


def mark_ocr(doc: Document, pages: tuple[int, ...]) -> Document:
    """The document with its OCR'd pages named and the passages that start on them flagged."""
    if not pages:
        return doc
    sections = tuple(replace(s, passages=tuple(replace(p, ocr=p.page in pages) for p in s.passages))
                     for s in doc.sections)
    return replace(doc, sections=sections, ocr_pages=tuple(pages))
