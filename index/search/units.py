"""The unit of a parsed query: what the query parser cuts a term into and the synonym table
(:mod:`index.search.expand`) extends; its own module so that neither imports the other."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A piece of a bare term matched as a whole: jieba's word(s) for it, and its text.

    ``alternatives`` are what the abbreviation table says it also means (产改 → 产业工人队伍建设改革):
    the unit matches where it, or any alternative, does.
    """

    text: str
    words: tuple[str, ...]
    alternatives: tuple[Unit, ...] = ()
