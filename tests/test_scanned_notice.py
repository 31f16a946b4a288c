"""A scanned red-header 公文 as offices scan them: in colour, the red 发文机关标志 and a red seal
stamped over the 落款 and its date. The test draws the notice, rasterizes it in RGB and stamps
the seal itself; what OCR must give back is the title, 发文字号 and 成文日期 printed under it."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ingest import parse_file
from ingest.ocr import clean_ocr_lines
from render import Para, bulletin_paras, render_pdf
from test_metadata import BODY, RED
from web_support import BULLETIN_TITLE

needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"),
                                     reason="tesseract is not installed (Debian tesseract-ocr)")
DPI = 200
SEAL = (225, 20, 30)


def notice() -> list[Para]:
    return [
        Para("示例省教育厅文件", 30, "center", 0, color=RED),
        Para("示教发〔2021〕7号", 15, "center", 0, 14),
        Para("示例省教育厅关于进一步加强高等学校", 21, "center", 0, 24),
        Para("教学管理工作的通知", 21, "center", 0),
        Para("各高等学校：", 15, "justify", 0, 14),
        *BODY,
        Para("示例省教育厅", 15, "right", 0, 30),
        Para("2021年10月27日", 15, "right", 0),
    ]


def stamped_scan(printed: Path, out: Path) -> Path:
    """The first page at 200 dpi in colour, a red seal (ring, star, organ name) over the date."""
    import pdfplumber
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    from render import FONT_PATH

    with pdfplumber.open(printed) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"] in "2021年10月27日"]
        date = [c for c in chars if c["top"] > pdf.pages[0].height / 2]
    scale = DPI / 72
    cx = (min(c["x0"] for c in date) + max(c["x1"] for c in date)) / 2 * scale
    cy = min(c["top"] for c in date) * scale
    source = pdfium.PdfDocument(printed)
    image = source[0].render(scale=scale).to_pil().convert("RGB")
    source.close()
    seal = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(seal)
    r = 120
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL, width=9)
    draw.regular_polygon((cx, cy, 32), 5, fill=SEAL)
    font = ImageFont.truetype(str(FONT_PATH), 30)
    draw.text((cx - 95, cy - 85), "示例省教育厅", font=font, fill=SEAL)
    draw.text((cx - 60, cy + 40), "专用章", font=font, fill=SEAL)
    # stamp ink is translucent: the black type under it stays black
    ImageChops.multiply(image, seal).save(out, "PDF", resolution=DPI)
    return out


@needs_tesseract
def test_seal_over_the_date_and_red_header_on_a_colour_scan(tmp_path: Path) -> None:
    printed = render_pdf(tmp_path / "printed.pdf", notice(), page_numbers=False).path
    (doc,) = parse_file(stamped_scan(printed, tmp_path / "scan.pdf"))
    assert doc.ocr_pages == (1,)
    assert doc.title == "示例省教育厅关于进一步加强高等学校教学管理工作的通知"
    assert (doc.doc_number, doc.date, doc.kind) == ("示教发〔2021〕7号", dt.date(2021, 10, 27), "通知")


@needs_tesseract
def test_a_red_masthead_on_a_colour_scan_is_still_read(tmp_path: Path) -> None:
    """Red ink is taken off the page for the text under a seal; large red type is read apart."""
    import pypdfium2 as pdfium

    paras = [replace(p, color=RED) if p.text == "改革快报" else p for p in bulletin_paras()]
    printed = render_pdf(tmp_path / "printed.pdf", paras).path
    source = pdfium.PdfDocument(printed)
    source[0].render(scale=DPI / 72).to_pil().convert("RGB").save(
        tmp_path / "scan.pdf", "PDF", resolution=DPI)
    source.close()
    (doc,) = parse_file(tmp_path / "scan.pdf")
    assert doc.bulletin is not None and doc.title == BULLETIN_TITLE
    assert (doc.bulletin.name, doc.bulletin.year, doc.bulletin.number, doc.date) == (
        "改革快报", 2021, 12, dt.date(2021, 6, 22))


@pytest.mark.parametrize("read, meant", [
    ("事业发展“十四五”规划>》的通知", "事业发展“十四五”规划》的通知"),
    ("关于印发《<增值税会计处理规定》的通知", "关于印发《增值税会计处理规定》的通知"),
    ("关于印发<增值税会计处理规定>的通知", "关于印发《增值税会计处理规定》的通知"),
    ("《关于印发〈办法〉的通知》", "《关于印发〈办法〉的通知》"),
    ("温度 3>2 且 a<b", "温度3>2且a<b"),
])
def test_book_title_marks_read_twice_or_as_ascii_angles(read: str, meant: str) -> None:
    assert clean_ocr_lines([read]) == [meant]


def test_doc_number_in_a_site_table_followed_by_a_label_it_does_not_know(tmp_path: Path) -> None:
    """moe.gov.cn's table prints 信息类别 right after the number (no space once OCR'd)."""
    page = tmp_path / "page.txt"
    page.write_text("发布日期：2020年12月15日\n发文字号：示社科〔2020] 3号信息类别：高等教育\n"
                    "示例部关于加强示例工作的通知\n各省、自治区、直辖市教育厅：\n"
                    "现将有关事项通知如下，请结合实际认真贯彻落实。\n示例部\n2020年12月7日\n",
                    encoding="utf-8")
    (doc,) = parse_file(page)
    assert (doc.title, doc.issuer, doc.doc_number, doc.date) == (
        "示例部关于加强示例工作的通知", "示例部", "示社科〔2020〕3号", dt.date(2020, 12, 7))
    assert doc.extra["publish_date"] == "2020-12-15"
