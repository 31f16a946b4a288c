"""Ranking metrics over binary relevance judgments, and latency percentiles."""
from __future__ import annotations

import math
from typing import Sequence


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if d in relevant:
            return 1 / (i + 1)
    return 0.0


def evaluate(runs: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict[str, float]:
    """Mean nDCG@10, Recall@10, Recall@100 and MRR@10 over the judged queries."""
    qids = [q for q in qrels if q in runs]
    n = len(qids) or 1
    return {
        "nDCG@10": sum(ndcg_at(runs[q], qrels[q]) for q in qids) / n,
        "Recall@10": sum(recall_at(runs[q], qrels[q], 10) for q in qids) / n,
        "Recall@100": sum(recall_at(runs[q], qrels[q], 100) for q in qids) / n,
        "MRR@10": sum(mrr_at(runs[q], qrels[q]) for q in qids) / n,
    }


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]
