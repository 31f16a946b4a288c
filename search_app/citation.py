"""GB/T 7714-2015 citations of a whole document or of one passage, with their parts.

A bulletin (简报/快报) is cited as an article in a serial (the standard's 4.4 form, type J): it
comes out in numbered issues of one title, which is what the standard calls a 连续出版物, and its
only serial codes are J (期刊) and N (报纸). A 公文 has no code of its own: A (档案) is for records
held by an archive under a 档号, EB (电子公告) for web postings, S for standards, so it takes Z
(其他) in the electronic-resource form (4.6). Both are read here online, hence /OL, an access date
and the URL (README, "Citations").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from ingest.model import Document, Passage
from search_app.permalinks import (document_url, download_name, file_url, original_for,
                                   passage_url)

TYPE_CODES = {"bulletin": "J", "policy": "Z", "other": "Z"}
CARRIER = "OL"  # 联机网络: read from this archive online


@dataclass(frozen=True)
class Citation:
    """One GB/T 7714-2015 reference: the formatted text and the parts it is made of."""

    text: str
    type_code: str  # "J/OL", "Z/OL"
    authors: str | None  # 主要责任者: 发文机关, or the bulletin's 编印单位
    title: str
    other_title: str | None  # 其他题名信息: the 发文字号
    serial: str | None  # 连续出版物题名: the bulletin's name
    year: int | None
    issue: int | None  # 期号
    date: str | None  # 成文日期 / date of issue, ISO
    page: int | None  # 引文页码, where the source has pages
    accessed: str  # 引用日期, ISO
    url: str  # the document, or the passage's permalink
    file_url: str | None  # the original file, at the cited page for a PDF
    passage_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """The `citation` object of the JSON API: the text, then its parts."""
        parts = asdict(self)
        return {"text": parts.pop("text"), "parts": parts}


def cite(doc: Document, base_url: str, passage: Passage | None = None,
         accessed: dt.date | None = None) -> Citation:
    """The GB/T 7714-2015 citation of doc, or of one passage of it, as read at base_url."""
    accessed = accessed or dt.date.today()
    code = f"{TYPE_CODES.get(doc.doc_type, 'Z')}/{CARRIER}"
    authors = (doc.bulletin.office if doc.bulletin else None) or doc.issuer
    page = passage.page if passage is not None else None
    url = passage_url(base_url, doc, passage) if passage else document_url(base_url, doc.doc_id)
    original = original_for(doc, page)
    # 其他题名信息: an attachment is cited through its notice ("…的通知附件2"), then the 发文字号.
    other = [f"{doc.attachment_of.title}附件{doc.attachment_of.number}"] \
        if doc.attachment_of is not None else []
    if doc.doc_number and not doc.bulletin:
        other.append(doc.doc_number)
    parts = dict(
        type_code=code, authors=authors, title=doc.title,
        other_title=": ".join(other) or None,
        serial=doc.bulletin.name if doc.bulletin else None,
        year=_year(doc), issue=doc.bulletin.number if doc.bulletin else None,
        date=doc.date.isoformat() if doc.date else None, page=page,
        accessed=accessed.isoformat(), url=url,
        file_url=file_url(base_url, original, page) if original else None,
        passage_id=passage.id if passage else None)
    text = _serial_text(parts) if doc.bulletin else _resource_text(parts)
    return Citation(text=text, **parts)


def _year(doc: Document) -> int | None:
    if doc.bulletin is not None and doc.bulletin.year is not None:
        return doc.bulletin.year
    return doc.date.year if doc.date else None


def _head(p: dict[str, Any]) -> str:
    """主要责任者. 题名: 其他题名信息[类型/载体]. (no 责任者: the title leads, as 8.1.1 allows)"""
    title = p["title"] + (f": {p['other_title']}" if p["other_title"] else "")
    who = f"{p['authors']}. " if p["authors"] else ""
    return f"{who}{title}[{p['type_code']}]. "


def _serial_text(p: dict[str, Any]) -> str:
    """4.4: … 连续出版物题名, 年(期): 页码[引用日期]. URL."""
    issue = f"({p['issue']})" if p["issue"] is not None else ""
    year = str(p["year"]) if p["year"] is not None else ""
    where = ", ".join(x for x in (p["serial"], year + issue) if x)
    page = f": {p['page']}" if p["page"] is not None else ""
    return f"{_head(p)}{where}{page}[{p['accessed']}]. {p['url']}."


def _resource_text(p: dict[str, Any]) -> str:
    """4.6: … 出版年: 引文页码(更新或修改日期)[引用日期]. URL. (出版地, 出版者 omitted as in
    the standard's own EB/OL examples; the year is written only to carry a page)"""
    date = f"({p['date']})" if p["date"] else ""
    if p["page"] is not None:
        year = str(p["year"]) if p["year"] is not None else ""
        when = f"{year}: {p['page']}{date}"
    else:
        when = date
    return f"{_head(p)}{when}[{p['accessed']}]. {p['url']}."


def document_json(doc: Document, base_url: str, accessed: dt.date | None = None,
                  ) -> dict[str, Any]:
    """Document.to_dict() with GB/T 7714 `citation` objects for it and for every passage."""
    data = doc.to_dict()
    data["citation"] = cite(doc, base_url, accessed=accessed).to_dict()
    by_id = {p.id: p for p in doc.passages()}
    for section in data["sections"]:
        for p in section["passages"]:
            p["citation"] = cite(doc, base_url, by_id[p["id"]], accessed).to_dict()
    data["files"] = [{"name": download_name(s), "format": s.format,
                      "url": file_url(base_url, s, None)} for s in doc.originals if s.sha256]
    return data

