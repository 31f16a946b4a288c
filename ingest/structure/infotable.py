"""A gov site's metadata table as text (a browser print, a page's text): 索引号/发文机关/发文字号/….

Printed or copied, the table comes out as `标签：值` lines, a label alone with its value on the next
line, or two pairs on one line (`发文字号：X 发布日期：Y`).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..normalize import Block
from .common import fold_radicals

# label → field; spaces inside a label (索 引 号, 标　　题) are how sites align them.
LABELS = {"索引号": "index_number", "主题分类": "topic", "发文机关": "issuer", "发布机构": "issuer",
          "成文日期": "date_written", "标题": "title", "发文字号": "doc_number",
          "文号": "doc_number", "发布日期": "publish_date", "主题词": "keywords",
          "效力状态": "validity", "实施日期": "effective_date", "施行日期": "effective_date"}
_SPACED = {label: r"\s*".join(label) for label in LABELS}
_LABEL = re.compile("(" + "|".join(sorted(_SPACED.values(), key=len, reverse=True))
                    + r")\s*[:：]")
_SCAN = 40  # the table sits above the text
_DATE = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}")
# A value on the line after its label must look like one (主题词 is often empty, and the title
# of the text follows it).
_PLAUSIBLE = {"date_written": _DATE.search, "publish_date": _DATE.search,
              "effective_date": _DATE.search, "doc_number": lambda v: "号" in v and len(v) < 30,
              "index_number": lambda v: re.search(r"\d", v) is not None,
              "keywords": lambda v: False, "validity": lambda v: len(v) <= 6}


def _pairs(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`X 发文字号：Y 发布日期：Z` → ("X", [(doc_number, Y), (publish_date, Z)])."""
    if "：" not in text and ":" not in text:  # a label needs its colon: skip the long regex
        return text, []
    matches = list(_LABEL.finditer(text))
    if not matches:
        return text, []
    out = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = re.sub(r"\s", "", match.group(1))
        out.append((LABELS[label], text[match.end():end].strip()))
    return text[:matches[0].start()].strip(), out


def info_table(blocks: Sequence[Block]) -> tuple[dict[str, str], set[int]]:
    """The table's fields (first value of each wins) and the indexes of the blocks it used.

    Needs at least two labels, so that one `标题：` line in running text does not count.
    """
    info: dict[str, str] = {}
    used: set[int] = set()
    pending: str | None = None  # a label whose value is on the next line
    for i, block in enumerate(blocks[:_SCAN]):
        lead, pairs = _pairs(fold_radicals(block.text))
        if pending is not None and lead and _PLAUSIBLE.get(pending, lambda v: len(v) <= 80)(lead):
            info.setdefault(pending, lead)
            used.add(i)
        elif lead and pairs:
            continue  # a label inside running text
        pending = None
        for name, value in pairs:
            used.add(i)
            if value:
                info.setdefault(name, value)
            else:
                pending = name
    if len({n for n in info}) < 2:
        return {}, set()
    return info, used
