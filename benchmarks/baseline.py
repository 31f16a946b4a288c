"""The named baseline: plain BM25 (bm25s, k1=1.5, b=0.75, one field) over jieba or bigram tokens."""
from __future__ import annotations

import re
import time
from typing import Callable, Sequence

import bm25s
import jieba

# About a dozen function words, as in ../shared/data/README.md's baselines.
STOP = set("的 了 和 与 及 或 是 在 对 吗 呢 吧 啊 什么 怎么 如何 哪些".split())
_CJK = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")


def jieba_tokens(text: str) -> list[str]:
    return [t for t in jieba.cut_for_search(text) if t.strip() and _CJK.fullmatch(t) and t not in STOP]


def bigram_tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK.findall(text):
        if run[0].isascii():
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def both_tokens(text: str) -> list[str]:
    return jieba_tokens(text) + ["#" + t for t in bigram_tokens(text)]


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {
    "bm25-jieba": jieba_tokens, "bm25-bigram": bigram_tokens, "bm25-both": both_tokens,
}


def run(tokenize: Callable[[str], list[str]], ids: Sequence[str], texts: Sequence[str],
        queries: dict[str, str], k: int = 100) -> tuple[dict[str, list[str]], list[float]]:
    """Index texts, answer queries; return the ranked ids per query and per-query seconds."""
    retriever = bm25s.BM25(k1=1.5, b=0.75)
    retriever.index([tokenize(t) for t in texts], show_progress=False)
    vocab = retriever.vocab_dict
    runs: dict[str, list[str]] = {}
    times: list[float] = []
    k = min(k, len(ids))
    for qid, question in queries.items():
        start = time.perf_counter()
        tokens = [t for t in tokenize(question) if t in vocab]
        if not tokens:
            runs[qid] = []
        else:
            docs, scores = retriever.retrieve([tokens], k=k, show_progress=False)
            runs[qid] = [ids[i] for i, s in zip(docs[0], scores[0]) if s > 0]
        times.append(time.perf_counter() - start)
    return runs, times
