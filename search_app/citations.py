"""Citations as links on the document page (issue 12): each 《title》 the document cites becomes
a link to the cited document, or is marked 未收录; the citing passages of 被引用, shortened.

The index resolves the titles (:meth:`index.Index.document_links`); this module only writes HTML.
"""
from __future__ import annotations

import html
import re
from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from index import DocumentLinks, Index
from ingest.model import Document

# 《…》 in escaped HTML: the title may hold <mark> tags from highlighting.
_TITLE = re.compile(r"《([^《》]{1,200})》")
_TAG = re.compile(r"<[^>]*>")
UNINDEXED = "未收录"
EXCERPT_CHARS = 60  # a citing passage is shown this far either side of the title


def cite_links(value: str, links: DocumentLinks | None, own_id: str = "",
               is_html: bool = False) -> Markup:
    """Text (or escaped HTML) with its cited 《title》s linked or marked 未收录."""
    source = str(value) if is_html or isinstance(value, Markup) else str(escape(value))
    if links is None or not links.citations:
        return Markup(source)

    def replace(m: re.Match[str]) -> str:
        citation = links.target(html.unescape(_TAG.sub("", m.group(1))).strip())
        if citation is None:
            return m.group(0)
        if citation.target is None:
            return (f'{m.group(0)}<span class="unindexed" title="本库未收录该文件">'
                    f"{UNINDEXED}</span>")
        if citation.target.doc_id == own_id:
            return m.group(0)  # the work this notice issues: this page
        href = escape(url_for("views.document", doc_id=citation.target.doc_id))
        title = escape(citation.target.title)
        inner = m.group(0)
        if inner.count("<mark>") != inner.count("</mark>"):  # a highlight crosses 《 or 》
            return f'{inner}<a class="cited" href="{href}" title="{title}">（原文）</a>'
        return f'<a class="cited" href="{href}" title="{title}">{inner}</a>'

    return Markup(_TITLE.sub(replace, source))


def excerpt(text: str, cited_as: str, chars: int = EXCERPT_CHARS) -> str:
    """The part of a citing passage around 《cited_as》 (the whole passage when short)."""
    at = text.find(f"《{cited_as}》") if cited_as else -1
    if at < 0 or len(text) <= 2 * chars + len(cited_as):
        return text if len(text) <= 3 * chars else text[:3 * chars] + "…"
    start, end = max(0, at - chars), min(len(text), at + len(cited_as) + 2 + chars)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def with_links(index: Index, doc: Document, data: dict[str, Any]) -> dict[str, Any]:
    """The object of GET /api/documents/<doc_id> and `gongwen show --json`: the document's
    JSON (data) with its citations resolved (doc_id null: 未收录), cited_by, cited_by_total
    and related."""
    return {**data, **index.document_links(doc).to_dict()}
