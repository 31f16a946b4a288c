"""Plain-text renderings of search results and documents for the terminal."""
from __future__ import annotations

import math

from index import SearchResults
from ingest.model import Document
from search_app.present import (SAMPLE_BADGE, cn_date, mark_to_brackets, metadata_rows,
                                page_label, repeat_label, repeat_numbers, type_label)


def format_results(results: SearchResults) -> str:
    """Hits as numbered blocks: title, type/issue/date, passages with 【】 and pages, doc_id."""
    pages = max(1, math.ceil(results.total / results.per_page))
    lines = [f"共找到 {results.total} 篇文档（第 {results.page} 页，共 {pages} 页）"]
    if results.expansions:
        lines.append("同时检索了：" + "、".join(results.expansions))
    if not results.hits:
        lines.append("没有找到相关文档。" if not results.total else "该页没有结果。")
    lines += offer_lines(results)
    first = (results.page - 1) * results.per_page + 1
    repeats = repeat_numbers(results)
    for n, hit in enumerate(results.hits, start=first):
        lines.append("")
        badge = f" [{SAMPLE_BADGE}]" if hit.sample else ""
        lines.append(f"{n}. {hit.title}{badge}")
        meta = [type_label(hit.doc_type), hit.issue, cn_date(hit.date) or "未注明日期", hit.issuer,
                hit.doc_number]
        lines.append("   " + " · ".join(m for m in meta if m))
        if hit.doc_id in repeats:
            lines.append("   " + repeat_label(repeats[hit.doc_id]))
        for passage in hit.passages:
            where = " ".join(x for x in (passage.id, page_label(passage.page)) if x)
            lines.append(f"   [{where}] {mark_to_brackets(passage.html)}")
        lines.append(f"   doc_id: {hit.doc_id}")
    return "\n".join(lines)


def format_document(doc: Document, citation: str | None = None) -> str:
    """Metadata lines, then every section heading and passage with its id and page."""
    lines = [doc.title]
    if doc.sample:
        lines.append(f"[{SAMPLE_BADGE}]")
    for label, value in metadata_rows(doc)[1:]:
        if isinstance(value, list):
            lines.append(f"{label}：")
            lines += [f"  - {v}" for v in value]
        else:
            lines.append(f"{label}：{value}")
    if doc.attachment_label:
        lines.append(f"附件于：{doc.attachment_label}（{doc.attachment_of.doc_id}）")
    if doc.attachments:
        lines.append("附件：")
        lines += [f"  - 附件{a.number}：{a.title}（"
                  f"{'印在正文之后' if a.doc_id == doc.doc_id else a.doc_id or '未收录'}）"
                  for a in doc.attachments]
    lines.append(f"doc_id：{doc.doc_id}")
    if citation:
        lines.append(f"引用：{citation}")
    for section in doc.sections:
        lines.append("")
        if section.heading:
            lines.append(section.heading)
        for passage in section.passages:
            where = " ".join(x for x in (passage.id, page_label(passage.page)) if x)
            if passage.rows:  # a table: one row a line, cells parted by ｜
                lines.append(f"  [{where}] 表格（{len(passage.rows)} 行）")
                lines += [f"    {line}" for line in passage.text.split("\n")]
                continue
            lines.append(f"  [{where}] {passage.text}")
    return "\n".join(lines)


def offer_lines(results: SearchResults) -> list[str]:
    """Issue 13: identifiers no document is, did you mean, any of the words."""
    lines = []
    for m in results.missing:
        near = f"；已有的相近{'文号' if m.kind == 'doc_number' else '期号'}：" + \
            "、".join(m.nearest) if m.nearest else ""
        lines.append(f"{m.message}{near}")
    if results.suggestion:
        lines.append(f"您是不是要找：{results.suggestion.q}（{results.suggestion.total} 篇）")
    if results.any_words:
        lines.append(f"没有同时包含全部检索词的文档；包含任一词的有 {results.any_words.total} 篇"
                     f"（加 --any-words 检索）")
    return lines
