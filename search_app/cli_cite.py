"""`gongwen cite` and the exports of `gongwen search --format … -o FILE` (issue 12)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index import SearchRequest
from search_app import export
from search_app.citation import cite

if TYPE_CHECKING:  # issue 14: the index's modules load when a search runs here
    from index import Index

BASE_URL = "http://127.0.0.1:5000/"  # where `gongwen serve` listens by default
BASE_HELP = ("引文中链接所用的网站地址（gongwen serve 对外的地址）。"
             "未给出时读取环境变量 GONGWEN_BASE_URL，都没有时为 " + BASE_URL)


def base_url_option(command):  # type: ignore[no-untyped-def]
    return click.option("--base-url", default=BASE_URL, envvar="GONGWEN_BASE_URL",
                        show_envvar=True, metavar="URL", help=BASE_HELP)(command)


def citation_output(index: Index, doc_id: str, passage_id: str | None, base_url: str,
                    fmt: str) -> str:
    """The citation of a document or of one of its passages, as text, JSON or RIS."""
    doc = index.get_document(doc_id)
    if doc is None:
        raise click.ClickException(f"索引中没有文档：{doc_id}")
    passage = None
    if passage_id is not None:
        passage = next((p for p in doc.passages() if p.id == passage_id), None)
        if passage is None:
            raise click.ClickException(f"文档 {doc_id} 中没有段落 {passage_id}"
                                       f"（段落编号形如 p1、p2，见 gongwen show {doc_id} --json）")
    c = cite(doc, base_url, passage)
    if fmt == "json":
        return json.dumps(c.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "ris":
        return export.to_ris([(doc, c)]).decode("utf-8").rstrip("\n")
    return c.text


def write_export(index: Index, request: SearchRequest, fmt: str, output: Path,
                 base_url: str) -> int:
    """Write the result list (csv, xlsx) or its citations (ris, txt) to output; rows written."""
    hits = list(export.all_hits(index, request))
    if fmt in export.WRITERS:
        data = export.WRITERS[fmt](export.result_rows(iter(hits), base_url))
    else:
        docs = [d for h in hits if (d := index.get_document(h.doc_id)) is not None]
        items = export.citations([(d, None) for d in docs], base_url)
        data = export.to_ris(items) if fmt == "ris" else export.to_text([c for _, c in items])
    output.write_bytes(data)
    return len(hits)
