"""The archive read from the cards column: bulletin series and their issues, and the
catalogue of policy documents with the passages that cite them (issue 12)."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Sequence

from index.analysis import normalize_doc_number
from index.analysis.terms import series_id, title_key
from index.cards import Card
from index.types import (CitedTitle, DeclaredMatch, DeclaredMeasure, IssuerGroup, IssueEntry,
                         IssueNeighbours, Mention, MeasuresCatalogue, PolicyEntry, Series,
                         SeriesSummary, SeriesYear, StatedCount)

# Issuing level by the lowest administrative unit an issuer's name begins with.
_LEVELS = (("县（市、区）级", re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:县|(?<!自治)区)")),
           ("州（市）级", re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:州|市|盟|地区)")),
           ("省级", re.compile(r"^(?:中共)?[\u4e00-\u9fff]{1,8}?(?:省|自治区)")),
           ("中央和国家级", re.compile(r"^(?:中共中央|国务院|全国|中华人民共和国|国家|最高人民)")))
LEVEL_ORDER = ("中央和国家级", "省级", "州（市）级", "县（市、区）级", "其他")


def issuer_level(issuer: str | None) -> str:
    """中央和国家级, 省级, 州（市）级, 县（市、区）级 or 其他, from how the issuer's name begins."""
    name = (issuer or "").replace(" ", "")
    central = _LEVELS[3][1].match(name)
    if central:
        return _LEVELS[3][0]
    for level, pattern in _LEVELS[:3]:
        if pattern.match(name):
            return level
    return "其他"


# -- series ------------------------------------------------------------------------------

def _entry(card: Card) -> IssueEntry:
    b = card.bulletin or {}
    return IssueEntry(card.doc_id, b.get("year") or (card.date.year if card.date else None),
                      b.get("number"), b.get("total_number"), card.date, card.title,
                      card.sample, card.supplement)


def _order(e: IssueEntry) -> tuple:
    return (e.year or 0, e.number if e.number is not None else -1, e.total_number or 0,
            e.date.isoformat() if e.date else "", e.doc_id)


def group_series(cards: Iterable[Card]) -> dict[str, tuple[str, str | None, list[IssueEntry]]]:
    """series id → (name, office, its issues oldest first)."""
    out: dict[str, tuple[str, str | None, list[IssueEntry]]] = {}
    for card in cards:
        if card.bulletin is None or not card.bulletin.get("name"):
            continue
        name, office = card.bulletin["name"], card.bulletin.get("office") or card.issuer
        key = series_id(name, office)
        out.setdefault(key, (name, office, []))[2].append(_entry(card))
    for _, _, issues in out.values():
        issues.sort(key=_order)
    return out


def _summary(key: str, name: str, office: str | None, issues: list[IssueEntry]) -> SeriesSummary:
    regular = [i for i in issues if not i.supplement] or issues
    return SeriesSummary(key, name, office, len(issues), regular[-1])


def series_list(cards: Iterable[Card]) -> tuple[SeriesSummary, ...]:
    """Every series, the one with the latest issue first."""
    found = [_summary(k, *v) for k, v in group_series(cards).items()]
    return tuple(sorted(found, key=lambda s: (_order(s.latest), s.name), reverse=True))


def latest_issues(cards: Iterable[Card], limit: int) -> tuple[tuple[SeriesSummary, IssueEntry], ...]:
    """The latest issues of every series (增刊 too), newest date first, with their series."""
    found = []
    for key, (name, office, issues) in group_series(cards).items():
        summary = _summary(key, name, office, issues)
        found += [(summary, issue) for issue in issues]
    found.sort(key=lambda si: (si[1].date.isoformat() if si[1].date else "", si[1].doc_id),
               reverse=True)
    return tuple(found[:limit])


def _missing(numbers: Sequence[int]) -> tuple[int, ...]:
    held = set(numbers)
    return tuple(n for n in range(1, max(held) + 1) if n not in held) if held else ()


def series(cards: Iterable[Card], key: str) -> Series | None:
    """One series: regular issues by year (newest year first), gaps, 增刊 apart."""
    found = group_series(cards).get(key)
    if found is None:
        return None
    name, office, issues = found
    by_year: dict[int | None, list[IssueEntry]] = defaultdict(list)
    for issue in issues:
        if not issue.supplement:
            by_year[issue.year].append(issue)
    years = [SeriesYear(year, tuple(items),
                        _missing([i.number for i in items if i.number is not None]))
             for year, items in by_year.items()]
    years.sort(key=lambda y: y.year or 0, reverse=True)
    return Series(_summary(key, name, office, issues), tuple(years),
                  tuple(i for i in issues if i.supplement))


def neighbours(cards: Iterable[Card], card: Card) -> IssueNeighbours | None:
    """The issues before and after a bulletin in its series (增刊 stand outside the run)."""
    if card.bulletin is None or not card.bulletin.get("name"):
        return None
    name, office = card.bulletin["name"], card.bulletin.get("office") or card.issuer
    key = series_id(name, office)
    _, _, issues = group_series(cards)[key]
    regular = [i for i in issues if not i.supplement]
    me = _entry(card)
    if me.supplement:  # placed by date among the regular issues
        before = [i for i in regular if i.date and me.date and i.date <= me.date]
        after = [i for i in regular if i.date and me.date and i.date > me.date]
        return IssueNeighbours(key, name, before[-1] if before else None,
                               after[0] if after else None)
    at = next(n for n, i in enumerate(regular) if i.doc_id == card.doc_id)
    return IssueNeighbours(key, name, regular[at - 1] if at > 0 else None,
                           regular[at + 1] if at + 1 < len(regular) else None)


# -- the measures catalogue ---------------------------------------------------------------

def _issue_label(card: Card) -> str | None:
    b = card.bulletin
    if not b:
        return None
    entry = _entry(card)
    return f"《{b['name']}》{entry.label}"


def _mentions(cards: Sequence[Card]) -> tuple[dict[str, list[Mention]], dict[str, list[Mention]],
                                             dict[str, tuple[str, str | None]]]:
    """Mentions by cited title key and by cited 发文字号, and each title key's first spelling."""
    by_title: dict[str, list[Mention]] = defaultdict(list)
    by_number: dict[str, list[Mention]] = defaultdict(list)
    spelling: dict[str, tuple[str, str | None]] = {}
    for card in cards:
        for ref in card.refs:
            mention = Mention(card.doc_id, card.title, _issue_label(card), ref.passage_id,
                              ref.snippet, card.sample)
            key = title_key(ref.title)
            by_title[key].append(mention)
            spelling.setdefault(key, (ref.title, ref.doc_number))
            if ref.doc_number:
                by_number[normalize_doc_number(ref.doc_number)].append(mention)
    return by_title, by_number, spelling


_CARRIED = re.compile(r"《([^《》]{2,120})》")


def _title_keys(title: str) -> list[str]:
    """A document's title, and the 《X》 a 关于印发《X》的通知 carries, as title keys."""
    return [title_key(title)] + [title_key(t) for t in _CARRIED.findall(title)]


def _cited(by_title: dict[str, list[Mention]], by_number: dict[str, list[Mention]],
           title: str, number: str | None, own: str | None = None) -> tuple[Mention, ...]:
    found = [m for key in _title_keys(title) for m in by_title.get(key, ())]
    if number:
        found += by_number.get(normalize_doc_number(number), ())
    unique = {(m.doc_id, m.passage_id): m for m in found if m.doc_id != own}
    return tuple(unique.values())


def catalogue(cards: Sequence[Card],
              declared: Sequence[DeclaredMeasure] = ()) -> MeasuresCatalogue:
    """Policy documents by level and issuer, the declared list matched, uncollected citations."""
    by_title, by_number, spelling = _mentions(cards)
    policies = [c for c in cards if c.doc_type == "policy"]
    groups: dict[tuple[str, str], list[PolicyEntry]] = defaultdict(list)
    for c in policies:
        entry = PolicyEntry(c.doc_id, c.title, c.doc_number, c.issuer, c.date, c.kind, c.sample,
                            _cited(by_title, by_number, c.title, c.doc_number, c.doc_id))
        groups[(issuer_level(c.issuer), c.issuer or "发文机关不详")].append(entry)
    ordered = sorted(groups.items(), key=lambda kv: (LEVEL_ORDER.index(kv[0][0]), kv[0][1]))
    issuer_groups = tuple(IssuerGroup(level, issuer, tuple(sorted(
        entries, key=lambda e: (e.date.isoformat() if e.date else "", e.title))))
        for (level, issuer), entries in ordered)

    all_docs = {key: c for c in reversed(cards) for key in _title_keys(c.title)}
    numbers = {normalize_doc_number(c.doc_number): c for c in cards if c.doc_number}
    matches = []
    for m in declared:
        card, how = None, None
        if m.doc_number and normalize_doc_number(m.doc_number) in numbers:
            card, how = numbers[normalize_doc_number(m.doc_number)], "发文字号"
        elif title_key(m.title) in all_docs:
            card, how = all_docs[title_key(m.title)], "标题"
        matches.append(DeclaredMatch(m, card.doc_id if card else None, how,
                                     _cited(by_title, by_number, m.title, m.doc_number,
                                            card.doc_id if card else None)))
    declared_keys = {title_key(m.title) for m in declared}
    unindexed = tuple(CitedTitle(*spelling[key], tuple(mentions))
                      for key, mentions in by_title.items()
                      if key not in all_docs and key not in declared_keys)
    return MeasuresCatalogue(issuer_groups, tuple(matches), unindexed, stated_counts(cards))


def stated_counts(cards: Iterable[Card]) -> tuple[StatedCount, ...]:
    """The counts of measures bulletins state, newest first, with their breakdown."""
    out = []
    for c in cards:
        total = c.extra.get("policy_measures", "")
        if not total.isdigit():
            continue
        parts = []
        for piece in c.extra.get("policy_measures_breakdown", "").split("；"):
            who, _, n = piece.rpartition("：")
            if who and n.isdigit():
                parts.append((who, int(n)))
        out.append(StatedCount(c.doc_id, c.title, _issue_label(c), int(total), tuple(parts),
                               c.sample))
    return tuple(sorted(out, key=lambda s: (s.sample, s.issue or "", s.doc_id)))
