"""How documents and hits are put into Chinese words: shared by the pages and the CLI."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from index import SearchResults
from ingest.model import Document

TYPE_LABELS = {"bulletin": "工作简报", "policy": "政策文件", "other": "其他"}
SORT_LABELS = {"relevance": "相关度", "date": "日期（新→旧）", "date_asc": "日期（旧→新）",
               "issue": "期号"}
SAMPLE_BADGE = "示例文档，请勿引用"
RECIPIENT_ORDER = ("主送", "报", "送", "发", "抄送")
EXTRA_LABELS = {"index_number": "索引号", "topic": "主题分类", "keywords": "主题词",
                "publish_date": "发布日期", "policy_measures": "配套政策措施（项）",
                "policy_measures_breakdown": "其中", "supplement": "刊别"}
_TAG = re.compile(r"<[^>]*>")


def cn_date(value: dt.date | str | None) -> str:
    """2021-06-22 → 2021年6月22日; empty for no date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def type_label(doc_type: str | None) -> str:
    """The Chinese label of a doc_type: 工作简报, 政策文件 or 其他."""
    return TYPE_LABELS.get(doc_type or "", TYPE_LABELS["other"])


def page_label(page: int | None) -> str:
    """第3页, or empty when the page is unknown."""
    return f"第{page}页" if page else ""


def repeat_numbers(results: SearchResults) -> dict[str, int]:
    """doc_id of a hit that repeats one above it → that hit's number in the list."""
    first = (results.page - 1) * results.per_page + 1
    numbers = {hit.doc_id: n for n, hit in enumerate(results.hits, start=first)}
    return {hit.doc_id: numbers[hit.same_as] for hit in results.hits if hit.same_as in numbers}


def repeat_label(number: int) -> str:
    return f"与第 {number} 条内容基本相同"


def mark_to_brackets(marked_html: str) -> str:
    """Index-produced HTML with <mark> → plain text with 【】 around the matches."""
    text = marked_html.replace("</mark><mark>", "")
    text = text.replace("<mark>", "【").replace("</mark>", "】")
    return html.unescape(_TAG.sub("", text))


def metadata_rows(doc: Document) -> list[tuple[str, str | list[str]]]:
    """The metadata table of a document as (label, value or list of values), in reading order."""
    kind = f"（{doc.kind}）" if doc.kind else ""
    rows: list[tuple[str, str | list[str]]] = [("标题", doc.title),
                                               ("类型", type_label(doc.doc_type) + kind)]
    if doc.bulletin is not None:
        rows.append(("期号", f"《{doc.bulletin.name}》{doc.bulletin.issue_label}"))
        office = doc.bulletin.office or doc.issuer
        if office:
            rows.append(("编印单位", office))
    elif doc.issuer:
        inferred = "（推定：同一文件夹的其他文件均由该机关印发）" \
            if doc.extra.get("issuer_from") == "folder" else ""
        rows.append(("发文机关", doc.issuer + inferred))
    if doc.doc_number:
        rows.append(("发文字号", doc.doc_number))
    if doc.date:
        rows.append(("成文日期" if doc.doc_type == "policy" else "日期", cn_date(doc.date)))
    keys = [k for k in RECIPIENT_ORDER if k in doc.recipients]
    keys += sorted(k for k in doc.recipients if k not in RECIPIENT_ORDER)
    rows += [(k, "，".join(doc.recipients[k])) for k in keys if doc.recipients[k]]
    if doc.references:
        rows.append(("引用文件", [f"《{r.title}》" + (f"（{r.doc_number}）" if r.doc_number else "")
                              for r in doc.references]))
    rows += [(EXTRA_LABELS.get(k, k), _extra_value(k, v)) for k, v in doc.extra.items() if v]
    if len(doc.originals) > 1:  # one document sent in several files: name them all
        rows.append(("来源文件", [f"{Path(s.path).name}（{s.format.upper()}）"
                              for s in doc.originals]))
    return rows


def _extra_value(key: str, value: str) -> str:
    if key.endswith("_date"):
        try:
            return cn_date(value)
        except ValueError:
            pass  # not an ISO date: show it as written
    if key == "policy_measures_breakdown":  # 州委、州政府：6；… → 州委、州政府6项，…
        return "，".join(f"{who}{n}项" for who, _, n in
                        (part.rpartition("：") for part in value.split("；")))
    return value
