"""jieba against rjieba (the segmenter the index uses), both with our user dictionary, on all of
../shared/data's text: token counts, tokens per second, and every line where the words differ.

Each source's text is normalized and split into lines as the index does (normalize_text, one
line at a time); each distinct line is cut once by each segmenter (precise mode with the HMM,
with offsets: jieba.tokenize and rjieba.tokenize) and counted as often as it occurs.

    python benchmarks/tokens.py                 # every source (about two minutes)
    python benchmarks/tokens.py --limit 2000    # the first 2,000 records or files of each
    python benchmarks/tokens.py --examples 10   # more examples of differing lines
    python benchmarks/tokens.py --only "work reports"
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed"


def _jsonl(path: Path, fields: tuple[str, ...], limit: int | None) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            row = json.loads(line)
            for key in fields:
                if isinstance(row.get(key), str):
                    yield row[key]


def _files(paths: list[Path], limit: int | None) -> Iterator[str]:
    for path in paths[:limit]:
        yield path.read_text(encoding="utf-8-sig", errors="replace")


def _csv_cells(paths: list[Path], limit: int | None) -> Iterator[str]:
    for path in paths[:limit]:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                yield "\n".join(row)


def _questions(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) >= 2:
                yield row[1]


def sources(limit: int | None) -> dict[str, Iterator[str]]:
    """Every text of ../shared/data by source, as the index reads it (raw for plain files)."""
    reports = DATA / "work_reports"
    return {
        "stard corpus": _jsonl(DATA / "stard_statutes" / "corpus.jsonl.gz", ("title", "text"),
                               limit),
        "stard questions": _questions(DATA / "stard_statutes" / "queries.dev.tsv"),
        "ncp corpus": _jsonl(DATA / "ncp_policies" / "corpus.jsonl", ("title", "text"), limit),
        "ncp questions": _questions(DATA / "ncp_policies" / "queries.dev.tsv"),
        "govcn_2019": _jsonl(DATA / "govcn_2019" / "documents.jsonl",
                             ("title", "issuer", "text"), limit),
        "laws (Markdown)": _files(sorted((DATA / "laws").rglob("*.md")), limit),
        "work reports": _jsonl_many(sorted((reports / "national_wikisource").glob("*.jsonl")),
                                    limit),
        "provincial reports": _csv_cells(sorted((reports / "provincial_2026").glob("*.csv")),
                                         limit),
        "seed": _files(sorted(SEED.glob("*.txt")), limit),
    }


def _jsonl_many(paths: list[Path], limit: int | None) -> Iterator[str]:
    for path in paths:
        yield from _jsonl(path, ("title", "content"), limit)


def lines_of(texts: Iterator[str]) -> Counter[str]:
    """Normalized lines (as the tokenizers cut them) and how often each occurs."""
    from index import normalize_text
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(line for line in normalize_text(text).split("\n") if line.strip())
    return counts


def compare(lines: Counter[str], examples: int) -> dict:
    """Both segmenters over the distinct lines: seconds, tokens, and where the words differ."""
    import jieba
    from index import segment_line
    distinct = list(lines)
    t = time.perf_counter()
    ours = list(map(segment_line, distinct))
    t_rjieba = time.perf_counter() - t
    t = time.perf_counter()
    theirs = [list(jieba.tokenize(line)) for line in distinct]
    t_jieba = time.perf_counter() - t
    out = {"lines": sum(lines.values()), "distinct": len(distinct), "t_jieba": t_jieba,
           "t_rjieba": t_rjieba, "tokens_jieba": 0, "tokens_rjieba": 0, "tokens_distinct": 0,
           "lines_differ": 0, "tokens_differ": 0, "examples": []}
    for line, a, b in zip(distinct, theirs, ours):
        n = lines[line]
        out["tokens_jieba"] += n * len(a)
        out["tokens_rjieba"] += n * len(b)
        out["tokens_distinct"] += len(a)
        b = [tuple(x) for x in b]
        if a != b:
            out["lines_differ"] += n
            sa, sb = set(a), set(b)
            out["tokens_differ"] += n * len(sa ^ sb)
            if len(out["examples"]) < examples:
                out["examples"].append((line, sorted(sa - sb, key=lambda x: x[1]),
                                        sorted(sb - sa, key=lambda x: x[1])))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None,
                    help="records (or files) per source; default: all")
    ap.add_argument("--examples", type=int, default=3, help="differing lines shown per source")
    ap.add_argument("--only", metavar="SOURCE", help="one source (its name as printed)")
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"找不到数据目录 {DATA}")
    import jieba
    from index import ensure_jieba, setup_analysis
    jieba.setLogLevel(logging.WARNING)
    setup_analysis()
    ensure_jieba()  # jieba's dictionary with the same user words
    total = Counter()
    print(f"{'source':<20}{'lines':>9}{'distinct':>9}{'jieba tok':>11}{'rjieba tok':>11}"
          f"{'jieba s':>9}{'rjieba s':>9}{'lines differ':>13}{'tokens differ':>14}")
    shown = []
    chosen = sources(args.limit)
    if args.only and args.only not in chosen:
        sys.exit(f"--only：没有名为 {args.only!r} 的来源（可选：{'、'.join(chosen)}）")
    for name, texts in chosen.items():
        if args.only and name != args.only:
            continue
        r = compare(lines_of(texts), args.examples)
        for key in ("lines", "distinct", "tokens_jieba", "tokens_rjieba", "tokens_distinct",
                    "lines_differ", "tokens_differ", "t_jieba", "t_rjieba"):
            total[key] += r[key]
        print(f"{name:<20}{r['lines']:>9,}{r['distinct']:>9,}{r['tokens_jieba']:>11,}"
              f"{r['tokens_rjieba']:>11,}{r['t_jieba']:>9.2f}{r['t_rjieba']:>9.2f}"
              f"{r['lines_differ']:>13,}{r['tokens_differ']:>14,}", flush=True)
        shown += [(name, *e) for e in r["examples"]]
    t = total
    print(f"{'all':<20}{t['lines']:>9,}{t['distinct']:>9,}{t['tokens_jieba']:>11,}"
          f"{t['tokens_rjieba']:>11,}{t['t_jieba']:>9.2f}{t['t_rjieba']:>9.2f}"
          f"{t['lines_differ']:>13,}{t['tokens_differ']:>14,}")
    print(f"\ndistinct lines: jieba {t['tokens_distinct'] / t['t_jieba']:,.0f} tokens/s, "
          f"rjieba {t['tokens_distinct'] / t['t_rjieba']:,.0f} tokens/s "
          f"({t['t_jieba'] / t['t_rjieba']:.1f}× faster)")
    share = t["lines_differ"] / max(t["lines"], 1)
    print(f"lines whose words differ: {t['lines_differ']:,} of {t['lines']:,} ({share:.4%})")
    for name, line, only_jieba, only_rjieba in shown:
        at = min([x[1] for x in only_jieba + only_rjieba], default=0)
        print(f"\n[{name}] …{line[max(0, at - 15):at + 25]}…")
        print(f"  jieba only:  {[w for w, _, _ in only_jieba][:8]}")
        print(f"  rjieba only: {[w for w, _, _ in only_rjieba][:8]}")


if __name__ == "__main__":
    main()
