"""Metadata benchmark: title, issuer, 发文字号, 成文日期 and 文种 against every gold set.

Each file of a gold set goes through `ingest.parse_file` (the real path), and each field is
compared with the gold read off the document itself; beside it, in the same run, a naive baseline
reads the same file's plain text (first non-empty line as title, first date in the text as date,
first 发文字号-shaped string as number, nothing for issuer, 文种 from the naive title).

Sets (under ../shared/data, the reference bulletin under ../shared/seed):
  office  office_files/gold.jsonl: "?" = the file does not say (expected empty); "parent" = the
          notice the file is attached to says (counted once ingest links attachments: an
          attachment takes the fields it leaves empty from a notice in its folder, as a batch
          links them with ingest.link_attachments; the notice of 006 and 007 is not in the set)
  govcn   govcn_2019: each html/ page and each record's text as a .txt file
  laws    LawRefBook Markdown: title and version date from the file name `标题(YYYY-MM-DD).md`
          (中华人民共和国 ignored on both sides: the file names leave it out)
  bulletin the reference bulletin rendered as the tests render it: txt, pdf, docx, html

    python benchmarks/metadata.py                       # every set in full
    python benchmarks/metadata.py --set laws --limit 200
    python benchmarks/metadata.py --json                # the figures as one JSON object
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # render.py: the bulletin as the tests render it

DATA = REPO.parent / "shared" / "data"
SEED = REPO.parent / "shared" / "seed" / "000_5452a5bf9b53dca5.txt"
FIELDS = ("title", "issuer", "doc_number", "date_written", "doctype")
SETS = ("office", "govcn", "laws", "bulletin")
NA = None  # a field the gold does not give, or gives only through the parent notice

# The reference bulletin, read off its printed first page.
BULLETIN_GOLD = {"title": "大理州高位推动，系统谋划 以典型引领全面推进改革",
                 "issuer": "云南省新时期产业工人队伍建设改革工作协调领导小组办公室",
                 "doc_number": "", "date_written": "2021-06-22", "doctype": "快报"}
_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
# Kangxi radicals, the radicals supplement and compatibility ideographs (those NFKC changes;
# twelve in U+FA0E–FA29 are unified ideographs and stay).
_LOOK_ALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_LAW_NAME = re.compile(r"^(?P<title>.*?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?$")


@dataclass(frozen=True)
class Case:
    """One file and its gold fields: a string to match, "" for must-be-empty, None for n/a."""

    set: str
    format: str
    path: Path
    gold: dict[str, str | None]
    parent: frozenset[str] = frozenset()  # fields the gold takes from the file's notice


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        return f"{self.right}/{self.total}" if self.total else "n/a"


@dataclass
class Scores:
    """Right/total per field for ours and the baseline, and what ours got wrong."""

    ours: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    naive: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    files: int = 0
    failed: int = 0
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # file, field, got, gold
    lookalikes: int = 0  # left in the Documents ingest made (title, metadata, headings, text)
    raw_lookalikes: int = 0  # in the files' plain text, for scale


# --- gold ---------------------------------------------------------------------------------


def _office_value(name: str, raw: str | None, attachments: bool) -> str | None:
    """A gold.jsonl value as the string to expect: notes in parentheses dropped."""
    if raw is None:
        return NA
    raw = raw.strip()
    if "parent" in raw:
        return _strip_note(raw) if attachments else NA
    if raw.startswith("?"):
        return ""
    if name == "date_written" and "成文日期 ?" in raw:
        return ""  # the date given is the 发布日期; the file has no 成文日期
    return _strip_note(raw)


def _strip_note(raw: str) -> str:
    raw = re.sub(r"\s+\(.*\)$", "", raw)  # "财会〔2023〕11号 (parent 通知)"
    raw = re.sub(r"（(?:附件|版头：[^）]*|公告)）$", "", raw)  # 目录（附件）, …（版头：…文件）
    return raw.strip()


def _office_doctype(raw: str | None) -> str | None:
    """"通知 (印发) + 规划" → 通知; "附件/目录" → 目录."""
    if not raw:
        return NA
    return re.sub(r"\s*\(.*?\)", "", raw).split("+")[0].split("/")[-1].strip()


def office_cases(attachments: bool) -> Iterator[Case]:
    folder = DATA / "office_files"
    from ingest.structure import kind_of

    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        g = record["gold"]
        gold = {name: _office_value(name, g.get(key), attachments) for name, key in
                (("title", "title"), ("issuer", "issuer"), ("doc_number", "doc_number"),
                 ("date_written", "date_written" if "date_written" in g else "date"))}
        gold["doctype"] = _office_doctype(g.get("doctype")) or kind_of(gold["title"] or "") or NA
        path = folder / record["file"]
        parent = frozenset(name for name, key in (("issuer", "issuer"), ("doc_number", "doc_number"),
                                                  ("date_written", "date_written"))
                           if "parent" in str(g.get(key) or ""))
        yield Case("office", path.suffix.lstrip(".").lower(), path, gold, parent)


def govcn_cases(tmp: Path) -> Iterator[Case]:
    from ingest.structure import kind_of

    folder = DATA / "govcn_2019"
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        gold = {"title": r["title"], "issuer": r["issuer"], "doc_number": r["doc_number"],
                "date_written": _iso(r["written_date"]) or "", "doctype": kind_of(r["title"]) or NA}
        yield Case("govcn", "html", folder / "html" / f"{r['id']}.html", gold)
        text = tmp / "govcn" / f"{r['id']}.txt"
        text.parent.mkdir(parents=True, exist_ok=True)
        text.write_text(r["text"], encoding="utf-8")
        yield Case("govcn", "txt", text, gold)


def law_cases() -> Iterator[Case]:
    folder = DATA / "laws"
    for path in sorted(folder.rglob("*.md")):
        if path.name.startswith("_") or path.parent == folder:
            continue  # section indexes, the README and the template
        match = _LAW_NAME.match(path.stem)
        gold = {"title": match["title"], "issuer": NA, "doc_number": NA,
                "date_written": match["date"] or NA, "doctype": NA}
        yield Case("laws", "md", path, gold)


def bulletin_cases(tmp: Path) -> Iterator[Case]:
    """The reference bulletin in every format the tests make of it."""
    import render

    folder = tmp / "bulletin"
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "gaigekuaibao.txt"
    text.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    yield Case("bulletin", "txt", text, BULLETIN_GOLD)
    try:
        pdf = render.render_bulletin_pdf(folder / "gaigekuaibao.pdf").path
        yield Case("bulletin", "pdf", pdf, BULLETIN_GOLD)
        paras = [(p.text, None) for p in render.bulletin_paras()]
        docx = render.render_docx(folder / "gaigekuaibao.docx", paras)
        yield Case("bulletin", "docx", docx, BULLETIN_GOLD)
    except ImportError as exc:
        print(f"(bulletin pdf/docx skipped: {exc}; pip install -e '.[test]')", file=sys.stderr)
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>" for p in render.reference_lines())
    html = folder / "gaigekuaibao.html"
    html.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>改革快报</title>"
                    f"</head><body><div class='article-content'>{body}</div></body></html>",
                    encoding="utf-8")
    yield Case("bulletin", "html", html, BULLETIN_GOLD)


# --- what ours and the baseline say --------------------------------------------------------


def _iso(text: str | None) -> str | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def parsed(cases: list[Case]) -> dict[Path, object]:
    """The first Document ingest makes of each file (or its ParseError); an office file that
    is an attachment of a notice in its folder linked to it, as a batch links them (then the
    fields the file leaves empty are its notice's: the "parent" gold)."""
    from ingest import ParseError, link_attachments, parse_file

    docs: dict[Path, object] = {}
    for case in cases:
        try:
            docs[case.path] = parse_file(case.path)[0]
        except ParseError as exc:
            docs[case.path] = exc
    folders: dict[Path, list[Path]] = defaultdict(list)
    for case in cases:
        if case.set == "office" and not isinstance(docs[case.path], ParseError):
            folders[case.path.parent].append(case.path)
    for paths in folders.values():
        for path, doc in zip(paths, link_attachments([docs[p] for p in paths])):
            docs[path] = doc
    return docs


def ours(case: Case, docs: dict[Path, object]) -> dict[str, str]:
    """The fields of the first Document ingest makes of the file (see parsed)."""
    from ingest import ParseError

    doc = docs[case.path]
    if isinstance(doc, ParseError):
        raise doc
    shown = json.dumps(doc.to_dict(), ensure_ascii=False)
    return {"title": doc.title or "", "issuer": doc.issuer or "",
            "doc_number": doc.doc_number or "",
            "date_written": doc.date.isoformat() if doc.date else "",
            "doctype": doc.kind or "", "lookalikes": str(lookalikes(shown))}


def lookalikes(text: str) -> int:
    """Look-alike characters a reader would see or a search would miss (⾰ for 革)."""
    import unicodedata

    return sum(1 for c in _LOOK_ALIKE.findall(text) if unicodedata.normalize("NFKC", c) != c
               or c < "\u2fe0")


def plain_text(path: Path) -> str:
    """The file's text as a simple extractor gives it (what the naive baseline reads)."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(data, "lxml")
        for tag in soup(["script", "style", "head"]):
            tag.decompose()
        return soup.get_text("\n")
    if suffix in (".txt", ".md"):
        return data.decode("utf-8", errors="replace")
    return ""  # .doc and the like: a simple extractor reads nothing


def naive(case: Case) -> dict[str, str]:
    from ingest.structure import find_doc_numbers, kind_of

    text = plain_text(case.path)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = re.sub(r"^#+\s*", "", first)
    numbers = find_doc_numbers(text)
    return {"title": first, "issuer": "", "doc_number": numbers[0] if numbers else "",
            "date_written": _iso(text) or "", "doctype": kind_of(first) or "",
            "lookalikes": str(lookalikes(text))}


# --- comparing -----------------------------------------------------------------------------


def _canon(name: str, value: str, case: Case) -> str:
    value = re.sub(r"\s+", "", value)
    if name == "issuer":
        value = "、".join(p for p in re.split(r"[、，,]", value) if p)
    if name == "title":
        value = value.replace("《", "").replace("》", "") if case.set == "office" else value
        if case.set == "laws":
            value = value.replace("中华人民共和国", "")
    return value


def _matches(name: str, got: str, gold: str, case: Case) -> bool:
    if name == "issuer":  # joint issuers: spaces or 、 between them in the gold
        gold = re.sub(r"\s+", "、", gold.strip())
    if name == "title" and "+" in gold:  # a 公告 and the regulation it publishes: either title
        return any(_canon(name, got, case) == _canon(name, part, case) for part in gold.split("+"))
    return _canon(name, got, case) == _canon(name, gold, case)


def score(cases: list[Case], scores: dict[tuple[str, str], Scores]) -> None:
    """Add every case to its (set, format) scores."""
    from ingest import ParseError

    docs = parsed(cases)
    for case in cases:
        s = scores[(case.set, case.format)]
        s.files += 1
        try:
            got = ours(case, docs)
        except ParseError as exc:
            s.failed += 1
            got = {name: "" for name in FIELDS}
            s.wrong.append((_short(case.path), "(ingest)", exc.reason, ""))
        try:
            base = naive(case)
        except Exception:  # noqa: BLE001 - a baseline that cannot read the file gets nothing
            base = {name: "" for name in FIELDS}
        s.lookalikes += int(got.get("lookalikes", 0))
        s.raw_lookalikes += int(base.get("lookalikes", 0))
        linked = getattr(docs[case.path], "attachment_of", None) is not None
        for name in FIELDS:
            gold = case.gold.get(name)
            if gold is None or (name in case.parent and not linked):
                continue  # n/a, or its notice is not in the set (not linked: nothing to say)
            ok = _matches(name, got[name], gold, case)
            s.ours[name].add(ok)
            s.naive[name].add(_matches(name, base[name], gold, case))
            if not ok:
                s.wrong.append((_short(case.path), name, got[name], gold))


def _short(path: Path) -> str:
    try:
        return str(path.relative_to(DATA))
    except ValueError:
        return path.name


def _sum(parts: list[Scores]) -> Scores:
    total = Scores()
    for s in parts:
        total.files += s.files
        total.failed += s.failed
        total.lookalikes += s.lookalikes
        total.raw_lookalikes += s.raw_lookalikes
        for mine, theirs in ((total.ours, s.ours), (total.naive, s.naive)):
            for name, t in theirs.items():
                mine[name].right += t.right
                mine[name].total += t.total
    return total


def _row(label: str, s: Scores) -> str:
    cells = [f"{str(s.ours[n]):>9} {str(s.naive[n]):>9}" for n in FIELDS]
    return f"{label:<16} {s.files:>5} {s.failed:>5}  " + "  ".join(cells)


def report(scores: dict[tuple[str, str], Scores], show_wrong: int) -> str:
    head = f"{'set/format':<16} {'files':>5} {'fail':>5}  " + "  ".join(
        f"{n[:9]:>9} {'naive':>9}" for n in FIELDS)
    lines = ["# metadata: ours vs naive baseline (first line / first date), right/total", head]
    by_set: dict[str, list[Scores]] = defaultdict(list)
    for (name, fmt), s in sorted(scores.items()):
        by_set[name].append(s)
        lines.append(_row(f"{name}/{fmt}", s))
    for name, parts in by_set.items():
        lines.append(_row(f"{name} (all)", _sum(parts)))
    lines.append(_row("overall", _sum(list(scores.values()))))
    lines.append("\n# look-alike characters (Kangxi radicals, radicals supplement, compatibility "
                 "ideographs) left in the Documents / in the files' plain text")
    for name, parts in by_set.items():
        total = _sum(parts)
        lines.append(f"{name:<16} {total.files:>5} files  {total.lookalikes:>6} left"
                     f"  {total.raw_lookalikes:>6} in the plain text")
    for (name, fmt), s in sorted(scores.items()):
        if s.wrong and show_wrong:
            lines.append(f"\n## wrong in {name}/{fmt} ({len(s.wrong)})")
            for file, fld, got, gold in s.wrong[:show_wrong]:
                lines.append(f"{file}: {fld}: got {got!r}, gold {gold!r}")
            if len(s.wrong) > show_wrong:
                lines.append(f"… {len(s.wrong) - show_wrong} more")
    return "\n".join(lines)


def as_json(scores: dict[tuple[str, str], Scores]) -> dict:
    def figures(s: Scores) -> dict:
        return {"files": s.files, "failed": s.failed,
                "lookalikes": {"left": s.lookalikes, "plain_text": s.raw_lookalikes},
                **{n: {"ours": [s.ours[n].right, s.ours[n].total],
                       "naive": [s.naive[n].right, s.naive[n].total]} for n in FIELDS}}

    out = {f"{name}/{fmt}": {**figures(s), "wrong": [list(w) for w in s.wrong]}
           for (name, fmt), s in sorted(scores.items())}
    out["overall"] = figures(_sum(list(scores.values())))
    return out


def _attachments_linked() -> bool:
    """Whether ingest links an attachment to its notice (then "parent" gold fields count)."""
    import ingest

    return hasattr(ingest, "link_attachments")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, action="append",
                        help="a gold set (repeatable; default: all)")
    parser.add_argument("--limit", type=int, help="at most N files per set")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--wrong", type=int, default=40, help="list at most N misses per set")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on every page
    wanted = args.set or list(SETS)
    scores: dict[tuple[str, str], Scores] = defaultdict(Scores)
    with tempfile.TemporaryDirectory() as tmp:
        sources: dict[str, Callable[[], Iterator[Case]]] = {
            "office": lambda: office_cases(_attachments_linked()),
            "govcn": lambda: govcn_cases(Path(tmp)),
            "laws": law_cases,
            "bulletin": lambda: bulletin_cases(Path(tmp)),
        }
        for name in wanted:
            cases: list[Case] = []
            try:
                for case in sources[name]():
                    cases.append(case)
                    if args.limit and len(cases) >= args.limit:
                        break
            except FileNotFoundError as exc:
                print(f"({name} skipped: {exc.filename} not found)", file=sys.stderr)
                continue
            score(cases, scores)
    print(json.dumps(as_json(scores), ensure_ascii=False, indent=1) if args.json
          else report(scores, args.wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
