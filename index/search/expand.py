"""Abbreviations and synonyms (简称 ↔ 全称), applied to the query, never to the index.

The table is a data file (``index/data/synonyms.txt``): one group of equivalent forms per line,
separated by ``=``. A query that says one of them also searches the others (产改 finds
产业工人队伍建设改革, and the reverse); the results say so ("also searched: …") and
``SearchRequest(expand=False)`` turns it off. Changing the table needs no re-indexing.

A form is recognized where it lines up with the query's units (jieba may cut 产业工人队伍建设改革
into three words: the three units become one, with the abbreviation as its alternative).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from whoosh.fields import Schema

from index.analysis import normalize_text
from index.search.units import Unit
from index.types import IndexError_

DEFAULT_SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"


def read_synonyms(path: Path) -> list[tuple[str, ...]]:
    """Groups of equivalent forms: one line each, ``=`` between forms, # comments."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise IndexError_(f"无法读取同义词表 {path}：{e}") from e
    groups = []
    for lineno, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        forms = tuple(dict.fromkeys(f.strip() for f in line.split("=") if f.strip()))
        if len(forms) < 2:
            raise IndexError_(f"{path}:{lineno}：应为“词 = 词 [= 词 …]”，实际是 {line!r}")
        groups.append(forms)
    return groups


@dataclass(frozen=True)
class Expander:
    """The synonym table: each form → the other forms of its group(s)."""

    others: dict[str, tuple[str, ...]]

    @classmethod
    def from_groups(cls, groups: list[tuple[str, ...]]) -> Expander:
        """Build from groups of equivalent forms (a form in two groups gets both)."""
        others: dict[str, list[str]] = {}
        for forms in groups:
            forms = tuple(dict.fromkeys(normalize_text(f) for f in forms))
            for form in forms:
                bucket = others.setdefault(form, [])
                bucket += [f for f in forms if f != form and f not in bucket]
        return cls({k: tuple(v) for k, v in others.items()})

    def units(self, schema: Schema, text: str, units: tuple[Unit, ...]) -> tuple[Unit, ...]:
        """The units of text, runs of them that spell a known form merged, with alternatives."""
        spans, at = [], 0
        for u in units:
            start = text.find(u.text, at)
            start = at if start < 0 else start
            spans.append((start, start + len(u.text)))
            at = start + len(u.text)
        out, i = [], 0
        while i < len(units):
            for j in range(len(units) - 1, i - 1, -1):
                form = text[spans[i][0]:spans[j][1]]
                if form in self.others:
                    words = tuple(w for u in units[i:j + 1] for w in u.words)
                    alts = tuple(Unit(o, _words(schema, o)) for o in self.others[form])
                    out.append(Unit(form, words, alts))
                    i = j + 1
                    break
            else:
                out.append(units[i])
                i += 1
        return tuple(out)


def _words(schema: Schema, text: str) -> tuple[str, ...]:
    words = tuple(t.text for t in schema["body"].analyzer(text, mode="query"))
    return words or tuple(t.text for t in schema["title"].analyzer(text, mode="query"))


@functools.lru_cache(maxsize=4)
def load_expander(path: Path = DEFAULT_SYNONYMS) -> Expander:
    """The table at path, read once per process."""
    return Expander.from_groups(read_synonyms(path))
