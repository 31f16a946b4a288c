"""The real question sets of ../shared/data, loaded as (documents, queries, qrels)."""
from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    text: str

    @property
    def full_text(self) -> str:
        """What a one-field baseline indexes: the title (unless the text starts with it), the text."""
        return self.text if self.text.startswith(self.title) else f"{self.title} {self.text}"


@dataclass(frozen=True)
class QuestionSet:
    name: str
    records: tuple[Record, ...]
    queries: dict[str, str]  # qid -> question
    qrels: dict[str, set[str]]  # qid -> relevant doc ids


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def headline(text: str, longest: int = 80) -> str:
    """A notice's headline: its text up to the first space (ncp_policies has no title field)."""
    first = text.strip().split(maxsplit=1)
    return first[0] if first and len(first[0]) <= longest else ""


def _records(name: str) -> list[Record]:
    if name == "ncp":
        path = DATA / "ncp_policies" / "corpus.jsonl"
    else:
        path = DATA / "stard_statutes" / "corpus.jsonl.gz"
    out = []
    with _open(path) as f:
        for line in f:
            row = json.loads(line)
            if name == "ncp":
                out.append(Record(row["docid"], headline(row["text"]), row["text"]))
            else:
                out.append(Record(row["id"], f"{row['law']} {row['article']}", row["text"]))
    return out


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def load(name: str, limit_queries: int | None = None, limit_docs: int | None = None,
         seed: int = 12) -> QuestionSet:
    """Load 'ncp' or 'stard'; with limits, a reproducible slice that keeps every judged document."""
    folder = DATA / ("ncp_policies" if name == "ncp" else "stard_statutes")
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing (../shared/data must sit beside the repo)")
    queries = {row[0]: row[1] for row in _tsv(folder / "queries.dev.tsv")}
    qrels: dict[str, set[str]] = {}
    for row in _tsv(folder / "qrels.dev.tsv"):
        qid, doc, rel = row[0], row[2], row[3]
        if int(rel) > 0:
            qrels.setdefault(qid, set()).add(doc)
    records = _records(name)
    if limit_queries is not None:
        keep = sorted(queries)[:limit_queries] if name == "stard" else list(queries)[:limit_queries]
        queries = {q: queries[q] for q in keep}
        qrels = {q: qrels[q] for q in keep if q in qrels}
    if limit_docs is not None and limit_docs < len(records):
        judged = set().union(*qrels.values()) if qrels else set()
        rest = [r for r in records if r.id not in judged]
        random.Random(seed).shuffle(rest)
        keep_ids = judged | {r.id for r in rest[: max(0, limit_docs - len(judged))]}
        records = [r for r in records if r.id in keep_ids]
    return QuestionSet(name, tuple(records), queries, qrels)
