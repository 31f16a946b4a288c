"""Tokenizing alone (lean.py's first row), in a process of its own: every title and text of a
JSON Lines file cut by jieba (search mode, as the peer indexes; precise mode) and by rjieba
(jieba-rs) when it is installed, each with the project's user dictionary; prints JSON.

    python -m benchmarks.lean_tokens SOURCE.jsonl
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

USERDICT = REPO / "index" / "data" / "userdict.txt"  # the words setup_analysis gives jieba


def _texts(source: Path) -> list[str]:
    out = []
    with source.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                out += [row["title"], row["text"]]
    return out


def _rjieba() -> object | None:
    try:
        import rjieba
    except ImportError:
        return None
    for line in USERDICT.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            rjieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
    return rjieba


def _time(cut: Callable[[str], list[str]], texts: list[str]) -> tuple[float, int, list[str]]:
    """Seconds to cut every text, the tokens, and each text's tokens joined by NUL (compact:
    one string per text instead of millions of token objects held at once)."""
    start = time.perf_counter()
    out = [cut(t) for t in texts]
    seconds = time.perf_counter() - start
    return seconds, sum(map(len, out)), ["\0".join(tokens) for tokens in out]


def measure(source: Path) -> dict:
    """Seconds, tokens and tokens per second for each segmenter; rjieba's differences from
    jieba's precise mode (texts that differ, and the first few)."""
    import jieba

    from index import ensure_jieba, setup_analysis

    setup_analysis()  # the user words, in the index's segmenter and (next) in jieba's own
    ensure_jieba()
    from index import segment_line
    texts = _texts(source)
    chars = sum(len(t) for t in texts)
    result: dict = {"texts": len(texts), "chars": chars, "engines": {}}
    runs = {"jieba cut_for_search (the peer)": lambda t: list(jieba.cut_for_search(t)),
            "jieba cut (precise)": lambda t: list(jieba.cut(t))}
    rj = _rjieba()
    if rj is not None:
        runs["rjieba cut_for_search"] = lambda t: rj.cut_for_search(t)
        runs["rjieba cut (precise)"] = lambda t: rj.cut(t)
    # what the index cuts with: rjieba with jieba's own rules for joined Latin and rare Han
    runs["gongwen segmenter (precise)"] = lambda t: [w for w, _, _ in segment_line(t)]
    cuts = {}
    for name, cut in runs.items():
        seconds, n, cuts[name] = _time(cut, texts)
        result["engines"][name] = {"seconds": seconds, "tokens": n, "per_second": n / seconds}
    if rj is not None:  # texts whose tokens differ, mode by mode, and the first few places
        result["rjieba_differs"] = {}
        for mode, mine in (("cut_for_search", "rjieba cut_for_search"),
                           ("cut (precise)", "rjieba cut (precise)"),
                           ("cut (precise)", "gongwen segmenter (precise)")):
            ours, theirs = cuts[f"jieba {mode}" + (" (the peer)" if mode == "cut_for_search"
                                                    else "")], cuts[mine]
            differ = [k for k in range(len(texts)) if ours[k] != theirs[k]]
            result["rjieba_differs"][mine] = {
                "texts": len(differ),
                "examples": [_first_difference(ours[k], theirs[k]) for k in differ[:3]]}
    return result


def _first_difference(joined_a: str, joined_b: str) -> str:
    a, b = joined_a.split("\0"), joined_b.split("\0")
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"jieba {'/'.join(a[k:k + 4])} | rjieba {'/'.join(b[k:k + 4])}"


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1])), ensure_ascii=False))
