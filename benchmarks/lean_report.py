"""lean.py's table: one line per figure, gongwen against the peer, the ratio, the floor of issue
14 and whether it is met. MB are 10^6 bytes; ratios are gongwen / peer."""
from __future__ import annotations

from typing import NamedTuple

MB = 1e6
BUILD_PEAK_FLOOR = 1000 * MB  # issue 14: ≤ 1 GB for the build's whole process tree
SIZE_FLOOR = 2.0  # index ≤ 2× the peer's
HTTP_P95_FLOOR = 0.020  # seconds, 1 client, fresh server
RATE_FLOOR = 250.0  # requests/s with 8 clients
SERVER_FLOOR = 600 * MB  # after the questions and after the 8-client load
CLI_FLOOR = 0.5  # seconds, one `gongwen search` from the shell


class Line(NamedTuple):
    row: str
    what: str
    ours: str
    peer: str = ""
    ratio: float | None = None
    floor: str = ""
    met: bool | None = None


def _ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


def _mb(b: float) -> str:
    return f"{b / MB:.0f} MB"


def lines(f: dict) -> list[Line]:
    """The table's lines from lean.py's figures (rows not run are left out)."""
    out: list[Line] = []
    tok = f.get("tokenize")
    if tok:
        for name, e in tok["engines"].items():
            out.append(Line("tokenize", name, f"{e['seconds']:.1f} s, {what_note(e)}"))
        for name, d in tok.get("rjieba_differs", {}).items():
            out.append(Line("tokenize", f"texts ≠ jieba's: {name}",
                            f"{d['texts']} of {tok['texts']}"))
    b = f.get("build", {})
    if b.get("reused"):
        out.append(Line("build", "full build", "reused (--work)"))
    elif b:
        g, p = b["gongwen"], b["peer"]
        out += [Line("build", "wall", f"{g['seconds']:.1f} s", f"{p['seconds']:.1f} s",
                     g["seconds"] / p["seconds"], "≤ peer", g["seconds"] <= p["seconds"]),
                Line("build", "processes at once", str(g["processes"]), str(p["processes"])),
                Line("build", "peak RSS, whole tree", _mb(g["peak_rss"]), _mb(p["peak_rss"]),
                     g["peak_rss"] / p["peak_rss"], "≤ 1000 MB",
                     g["peak_rss"] <= BUILD_PEAK_FLOOR)]
    s = f.get("size")
    if s:
        text = f["text_bytes"]
        out.append(Line("size", f"on disk (text {_mb(text)})",
                        f"{_mb(s['gongwen'])} ({s['gongwen'] / text:.1f}× text)",
                        f"{_mb(s['peer'])} ({s['peer'] / text:.1f}× text)",
                        s["gongwen"] / s["peer"], "≤ 2× peer",
                        s["gongwen"] <= SIZE_FLOOR * s["peer"]))
    q = f.get("questions")
    served = f.get("served", {})
    if q:
        for config, fig in served.items():
            c = fig["one_client"]
            out.append(Line("questions", f"HTTP p50/p95, {config}",
                            f"{_ms(c['p50'])} / {_ms(c['p95'])}", "", None, "p95 ≤ 20 ms",
                            c["p95"] <= HTTP_P95_FLOOR))
        g, p = q["gongwen"], q["peer"]
        out += [Line("questions", "in process p50/p95 (peer: snippet())",
                     f"{_ms(g['p50'])} / {_ms(g['p95'])}", f"{_ms(p['p50'])} / {_ms(p['p95'])}",
                     g["p95"] / p["p95"]),
                Line("questions", "nDCG@10 / Recall@10", f"{g['nDCG@10']:.3f} / "
                     f"{g['Recall@10']:.3f}", f"{p['nDCG@10']:.3f} / {p['Recall@10']:.3f}")]
    k = f.get("keywords")
    if k:
        g, p = k["gongwen"], k["peer"]
        out += [Line("keywords", f"{k['queries']} AND pairs, p50/p95 in process",
                     f"{_ms(g['p50'])} / {_ms(g['p95'])}", f"{_ms(p['p50'])} / {_ms(p['p95'])}",
                     g["p95"] / p["p95"], "p95 ≤ peer", g["p95"] <= p["p95"]),
                Line("keywords", "the same asked again, p50/p95",
                     f"{_ms(g['again_p50'])} / {_ms(g['again_p95'])}",
                     f"{_ms(p['again_p50'])} / {_ms(p['again_p95'])}",
                     g["again_p95"] / p["again_p95"]),
                Line("keywords", "answered; top-10 Jaccard", f"{g['answered']}",
                     f"{p['answered']}", None, f"{k['top10_jaccard']:.2f}")]
    if "load" in f.get("rows", ()) or "memory" in f.get("rows", ()):
        for config, fig in served.items():
            for clients in (8, 32):
                c = fig[f"{clients} clients"]
                out.append(Line("load", f"{clients} clients, {config}",
                                f"{c['rate']:.0f} req/s, p95 {_ms(c['p95'])}, "
                                f"{c['failed']} failed", "", None,
                                "≥ 250 req/s" if clients == 8 else "",
                                c["rate"] >= RATE_FLOOR if clients == 8 else None))
            for moment, m in fig["memory"].items():
                judged = moment in ("after questions", "after 8 clients")
                out.append(Line("memory", f"{moment}, {config}",
                                f"RSS {_mb(m['rss'])}, PSS {_mb(m['pss'])}, "
                                f"{m['processes']} proc", "", None,
                                "≤ 600 MB" if judged else "",
                                m["charged"] <= SERVER_FLOOR if judged else None))
    cli = f.get("cli")
    for how, run in (cli or {}).items():
        out.append(Line("cli", f"gongwen search, median wall, {how}", f"{run['median']:.3f} s",
                        "", None, "≤ 0.5 s", run["median"] <= CLI_FLOOR))
    return [ln for ln in out if ln.row in f["rows"]]  # build and size are measured anyway


def what_note(engine: dict) -> str:
    return f"{engine['tokens']:,} tokens, {engine['per_second'] / 1000:.0f}k/s"


def print_table(f: dict) -> None:
    """The header (data, machine, load) and the table."""
    print(f"## issue 14: gongwen vs SQLite FTS5 peer — STARD {f['articles']:,} articles "
          f"({f['text_bytes'] / MB:.1f} MB of text), {f['question_count']} questions; "
          f"{f['cores']} cores, load average {f['load_average']:.1f} at start, "
          f"{f.get('load_average_end', float('nan')):.1f} at end; loads {f['seconds']:g} s each")
    head = ("row", "measure", "gongwen", "FTS5 peer", "ratio", "floor", "met")
    table = [head] + [(ln.row, ln.what, ln.ours, ln.peer,
                       "" if ln.ratio is None else f"{ln.ratio:.2f}×", ln.floor,
                       "" if ln.met is None else ("met" if ln.met else "NOT met"))
                      for ln in lines(f)]
    widths = [max(_width(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip())


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
