"""Identifier benchmark (issue 13): identifiers typed the way people type them rank their document first.

Every 发文字号 of ../shared/data/govcn_2019 (29 documents, parsed from their gov.cn pages) in 13
typed forms, and every issue number of the bundled demo corpus's two 《改革快报》 issues (第12期
and a sample 第13期, which is what makes 第12期 ambiguous) in 10 forms, searched in one index of
all of them. Figures: the share of queries whose own document ranks first, per form, for
gongwen and, in the same run on the same documents and queries, the named baseline bm25-both
(benchmarks/baseline.py: plain BM25 over jieba words and character bigrams of title + text).

    python benchmarks/identifiers.py
    python benchmarks/identifiers.py --limit 5     # only the first 5 govcn documents
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.baseline import TOKENIZERS, run  # noqa: E402
from index import SearchRequest, create_index, setup_analysis  # noqa: E402
from ingest import parse_file  # noqa: E402

DATA = REPO.parent / "shared" / "data"
GOVCN = DATA / "govcn_2019"
BUNDLED = REPO / "corpus"
WIDE = str.maketrans("0123456789 []", "０１２３４５６７８９\u3000［］")

# 发文字号: the 8 forms tested since issue 3, then the loose ones of issue 13.
NUMBER_FORMS = {
    "〔〕": "{org}〔{year}〕{num}号", "[]": "{org}[{year}]{num}号", "（）": "{org}（{year}）{num}号",
    "()": "{org}({year}){num}号", "【】": "{org}【{year}】{num}号", "［］": "{org}［{year}］{num}号",
    "[] 全角数字": "{org}[{wyear}]{wnum}号", "（） 全角数字": "{org}（{wyear}）{wnum}号",
    "年份无括号 空格": "{org}{year} {num}号", "年份后加年": "{org}{year}年{num}号",
    "无号": "{org}〔{year}〕{num}", "内有空格": "{org} 〔 {year} 〕 {num} 号",
    "全部全角": "{org}{wyear}\u3000{wnum}号",
}
ISSUE_FORMS = {
    "2021年第12期": "{year}年第{num}期", "2021年12期": "{year}年{num}期", "2021-12": "{year}-{num}",
    "2021 年 12 期": "{year} 年 {num} 期", "第 12 期": "第 {num} 期", "12期": "{num}期",
    "第12期": "第{num}期", "总第38期": "总第{total}期", "改革快报 第12期": "{name} 第{num}期",
    "改革快报 12期": "{name} {num}期",
}


def _wide(n: int) -> str:
    return str(n).translate(WIDE)


def queries(docs: list, limit: int | None) -> list[tuple[str, str, str]]:
    """(form name, typed query, the doc_id that must rank first)."""
    out = []
    numbered = [d for d in docs if d.doc_number][:limit]
    for doc in numbered:
        m = re.fullmatch(r"(.+?)〔(\d{4})〕(\d+)号", doc.doc_number)
        org, year, num = m[1], int(m[2]), int(m[3])
        for name, form in NUMBER_FORMS.items():
            typed = form.format(org=org, year=year, num=num, wyear=_wide(year), wnum=_wide(num))
            out.append((name, typed, doc.doc_id))
    for doc in docs:
        b = doc.bulletin
        if b is None or b.number is None:
            continue
        for name, form in ISSUE_FORMS.items():
            typed = form.format(year=b.year, num=b.number, total=b.total_number, name=b.name)
            out.append((name, typed, doc.doc_id))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N govcn documents")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    args = parser.parse_args(argv)
    if not (GOVCN / "html").is_dir():
        print(f"govcn_2019 not found at {GOVCN}", file=sys.stderr)
        return 2
    setup_analysis()
    docs = [d for f in sorted((GOVCN / "html").iterdir()) for d in parse_file(f)]
    docs += [d for f in sorted(BUNDLED.iterdir()) for d in parse_file(f)]
    cases = queries(docs, args.limit)
    firsts: dict[str, dict[str, list[bool]]] = {"gongwen": {}, "bm25-both": {}}
    seconds, misses = [], []
    with tempfile.TemporaryDirectory() as tmp, create_index(Path(tmp) / "ix") as index:
        index.add_documents(docs)
        for form, typed, doc_id in cases:
            start = time.perf_counter()
            hits = index.search(SearchRequest(q=typed, per_page=1, passages_per_doc=0)).hits
            seconds.append(time.perf_counter() - start)
            first = bool(hits) and hits[0].doc_id == doc_id
            firsts["gongwen"].setdefault(form, []).append(first)
            if not first:
                misses.append((typed, doc_id, hits[0].doc_id if hits else None))
    texts = ["\n".join([d.title] + [p.text for p in d.passages()]) for d in docs]
    ranked, _ = run(TOKENIZERS["bm25-both"], [d.doc_id for d in docs], texts,
                    {str(i): typed for i, (_, typed, _) in enumerate(cases)}, k=1)
    for i, (form, _, doc_id) in enumerate(cases):
        got = ranked[str(i)]
        firsts["bm25-both"].setdefault(form, []).append(bool(got) and got[0] == doc_id)
    figures = {system: {form: round(sum(v) / len(v), 3) for form, v in by_form.items()}
               for system, by_form in firsts.items()}
    totals = {system: round(sum(sum(v) for v in by_form.values()) /
                            sum(len(v) for v in by_form.values()), 3)
              for system, by_form in firsts.items()}
    if args.json:
        print(json.dumps({"forms": figures, "all": totals, "queries": len(cases), "misses": misses,
                          "p50_ms": round(statistics.median(seconds) * 1000, 1)},
                         ensure_ascii=False))
        return 0
    numbered = sum(1 for d in docs if d.doc_number)
    print(f"## identifiers: {len(cases)} queries over {len(docs)} documents "
          f"({min(numbered, args.limit or numbered)} 发文字号, bundled 《改革快报》 issues)")
    print(f"{'form':<22}{'n':>5}{'gongwen':>10}{'bm25-both':>11}   (share ranked first)")
    for form in firsts["gongwen"]:
        n = len(firsts["gongwen"][form])
        print(f"{form:<22}{n:>5}{figures['gongwen'][form]:>10.3f}{figures['bm25-both'][form]:>11.3f}")
    print(f"{'all':<22}{len(cases):>5}{totals['gongwen']:>10.3f}{totals['bm25-both']:>11.3f}")
    print(f"gongwen p50 {statistics.median(seconds) * 1000:.1f} ms per query (in process)")
    for typed, doc_id, got in misses:
        print(f"gongwen miss: {typed} → {got or '(nothing)'}, expected {doc_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
