"""The measures catalogue as plain text for `gongwen measures` (the page's content, in order)."""
from __future__ import annotations

from index import MeasuresCatalogue, Mention

SAMPLE = "［示例］"


def _mention(m: Mention) -> str:
    where = m.issue or f"《{m.title}》"
    at = f" {m.passage_id}" if m.passage_id else ""
    return f"      ← {where}{at}{SAMPLE if m.sample else ''}：{m.snippet}"


def format_catalogue(c: MeasuresCatalogue, source: str | None = None) -> str:
    """Stated counts, the declared list matched, policy documents by level and issuer,
    then cited titles the index lacks."""
    lines: list[str] = []
    if c.stated:
        lines.append("简报所述措施数量")
        for s in c.stated:
            parts = " + ".join(f"{who}{n}项" for who, n in s.parts)
            check = "" if not s.parts or s.adds_up else "（分项之和与总数不符）"
            lines.append(f"  {s.issue or s.title}{SAMPLE if s.sample else ''}："
                         f"{s.total}项" + (f" = {parts}{check}" if parts else ""))
    if c.declared:
        found = sum(1 for d in c.declared if d.doc_id)
        lines.append(f"本单位措施清单（{source or ''}；{len(c.declared)} 项，已收录 {found} 项）")
        for d in c.declared:
            m = d.measure
            meta = "，".join(v for v in (m.doc_number, m.issuer, m.date) if v)
            status = f"已收录（按{d.matched_by}）：{d.doc_id}" if d.doc_id else "未收录"
            lines.append(f"  {m.number}. {m.title}{SAMPLE if m.sample else ''}"
                         + (f"（{meta}）" if meta else "") + f"｜{status}")
            lines += [_mention(x) for x in d.mentions]
    lines.append("库中政策文件（按出台层级与单位）")
    if not c.groups:
        lines.append("  （无）")
    level = None
    for g in c.groups:
        if g.level != level:
            level = g.level
            lines.append(f"  {level}")
        lines.append(f"    {g.issuer}（{len(g.entries)} 件）")
        for e in g.entries:
            meta = "，".join(v for v in (e.doc_number, e.date.isoformat() if e.date else None,
                                         e.kind) if v)
            lines.append(f"    · {e.title}{SAMPLE if e.sample else ''}"
                         + (f"（{meta}）" if meta else "") + f" [{e.doc_id}]")
            lines += [_mention(x) for x in e.mentions]
    if c.unindexed:
        lines.append("被引用但库中未收录的文件")
        for t in c.unindexed:
            number = f"（{t.doc_number}）" if t.doc_number else ""
            lines.append(f"  《{t.title}》{number}｜未收录")
            lines += [_mention(x) for x in t.mentions]
    return "\n".join(lines)
