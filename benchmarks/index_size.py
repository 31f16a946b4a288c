"""Index size benchmark: what each field and each part of an index costs on disk.

Builds an index through `gongwen ingest`'s own path (or takes built ones) and prints the bytes
of every part — postings (split into document numbers, weights, positions and block headers),
term dictionary, stored documents, columns (cards, sort keys, field lengths), originals kept
under files/, the TOC — per field, with each one's share of the total. With --baseline-repo
the same corpus is also built by another checkout (e.g. a pristine main) in the same run, and
the two are printed side by side with their ratio.

    python benchmarks/index_size.py --set bundled
    python benchmarks/index_size.py --set stard --limit 5000 --baseline-repo /work/old/main
    python benchmarks/index_size.py --set stard                 # the full 64,430 articles
    python benchmarks/index_size.py --index DIR [--index DIR2]  # indexes already built

Postings blocks are zlib-compressed as a whole; each component's share of a block's bytes on
disk is apportioned by its share of the block before compression (an estimate, marked ~).
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STARD = REPO.parent / "shared" / "data" / "stard_statutes" / "corpus.jsonl.gz"
BUNDLED = REPO / "corpus"
POINTER = "gongwen-index.json"  # index.layout.POINTER (benchmarks read the folder as files)
_BLOCK_INT = struct.Struct("!i")


def _generation(root: Path) -> Path:
    pointer = json.loads((root / POINTER).read_text(encoding="utf-8"))
    return root / pointer["generation"]


def _postings_parts(data: bytes) -> Counter:
    """Bytes of one term's posting list on disk, apportioned to ids, weights, positions, headers."""
    parts: Counter = Counter()
    pos = 4  # the W3Bl magic
    parts["block headers"] += 4
    while pos < len(data):
        (size,) = _BLOCK_INT.unpack_from(data, pos)
        size = abs(size)
        block = io.BytesIO(data[pos + 4:pos + 4 + size])
        info = pickle.Unpickler(block).load()
        head = block.tell()
        parts["block headers"] += 4 + head
        raw = block.read()
        plain = zlib.decompress(raw) if info[3] else raw
        ids, weights, values = pickle.loads(plain)
        sizes = {"document numbers": len(pickle.dumps(ids, 4)),
                 "weights": len(pickle.dumps(weights, 4)),
                 "positions": len(pickle.dumps(values, 4))}
        whole = sum(sizes.values())
        for name, n in sizes.items():
            parts[name] += len(raw) * n / whole
        pos += 4 + size
    return parts


def _inline_parts(value: bytes) -> Counter:
    """An inlined posting (the term info carries it): head vs its pickled posting."""
    head = struct.calcsize("!BfIBBfII")
    return Counter({"term dictionary": head, "positions (inlined)": len(value) - head})


def measure(root: Path) -> tuple[Counter, int]:
    """(bytes by (field, part), total bytes of the folder) of the index at root."""
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.filedb.structfile import StructFile

    out: Counter = Counter()
    total = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    gen = _generation(root)
    storage = FileStorage(str(gen))
    ix = storage.open_index()
    for f in root.rglob("*"):
        if f.is_file() and gen not in f.parents:
            kept = "files" in f.relative_to(root).parts
            where = "originals (files/)" if kept else "pointer, lock"
            out[("(index)", where)] += f.stat().st_size
    for f in gen.iterdir():
        if f.suffix == ".toc" or f.name.endswith(".lock"):
            out[("(index)", "TOC")] += f.stat().st_size
    for seg in ix._segments():
        if seg.is_compound():
            cs = CompoundStorage(StructFile(open(gen / seg.make_filename(".seg"), "rb")))
            files = {name: cs.file_length(name) for name in cs.list()}
            seg_size = (gen / seg.make_filename(".seg")).stat().st_size
            out[("(index)", "compound directory")] += seg_size - sum(files.values())
            opener = cs.open_file
        else:
            files = {f.name: f.stat().st_size for f in gen.iterdir()
                     if f.name.startswith(seg.segment_id() + ".")}
            opener = storage.open_file
        prefix = seg.segment_id()
        for name, size in files.items():
            ext = name[len(prefix):]
            if ext == ".trm" or ext == ".pst":
                continue
            if ext.endswith(".col"):
                col = ext[1:-4]
                if col == "_stored":
                    out[("doc", "stored fields")] += size
                elif col.startswith("_") and col.endswith("_len"):
                    out[(col[1:-4], "field lengths")] += size
                else:
                    out[(col, "column")] += size
            else:
                out[("(segment)", ext)] += size
        tfile = opener(prefix + ".trm")
        terms = OrderedHashReader(tfile, files[prefix + ".trm"])
        fieldnames = {v: k for k, v in terms.extras["fieldmap"].items()}
        postfile = opener(prefix + ".pst")
        counted = 0
        for key, value in terms.items():
            field = fieldnames[struct.unpack("!H", key[:2])[0]]
            ti = W3TermInfo.from_bytes(value)
            counted += len(key) + len(value)
            if ti.is_inlined():
                for part, n in _inline_parts(value).items():
                    out[(field, part)] += n
                out[(field, "term dictionary")] += len(key)
                continue
            out[(field, "term dictionary")] += len(key) + len(value)
            offset, length = ti.extent()
            length = length[0] if isinstance(length, tuple) else length  # whoosh's from_bytes
            for part, n in _postings_parts(postfile.get(offset, length)).items():
                out[(field, part)] += n
        out[("(segment)", "term hash tables")] += files[prefix + ".trm"] - counted
    ix.close()
    return out, total


def _table(results: list[tuple[str, Counter, int]]) -> None:
    keys = sorted({k for _, c, _ in results for k in c},
                  key=lambda k: -max(c.get(k, 0) for _, c, _ in results))
    head = f"{'field':<18}{'part':<26}" + "".join(f"{name:>22}" for name, _, _ in results)
    if len(results) == 2:
        head += f"{'ratio':>8}"
    print(head)
    for key in keys:
        if not any(c.get(key, 0) >= 1 for _, c, _ in results):
            continue  # e.g. weights of a field whose postings all weigh 1
        cells = []
        for _, c, total in results:
            n = c.get(key, 0)
            cells.append(f"{n / 1e6:>11.3f} MB {100 * n / total:>5.1f} %")
        line = f"{key[0]:<18}{key[1]:<26}" + "".join(f"{c:>22}" for c in cells)
        if len(results) == 2:
            a, b = (c.get(key, 0) for _, c, _ in results)
            line += f"{(a / b if b else float('inf')):>8.2f}" if a or b else ""
        print(line)
    by_field = [Counter() for _ in results]
    for i, (_, c, _) in enumerate(results):
        for (field, _), n in c.items():
            by_field[i][field] += n
    print("\nper field (all parts)")
    for field in sorted({f for bf in by_field for f in bf}, key=lambda f: -by_field[0][f]):
        line = f"{field:<44}" + "".join(
            f"{bf[field] / 1e6:>11.3f} MB {100 * bf[field] / t:>5.1f} %"
            for bf, (_, _, t) in zip(by_field, results))
        if len(results) == 2 and by_field[1][field]:
            line += f"{by_field[0][field] / by_field[1][field]:>8.2f}"
        print(line)
    line = f"{'TOTAL (du of the folder)':<44}" + "".join(
        f"{t / 1e6:>11.3f} MB {100.0:>5.1f} %" for _, _, t in results)
    if len(results) == 2:
        line += f"{results[0][2] / results[1][2]:>8.2f}"
    print(line)


def _source(args: argparse.Namespace, work: Path) -> tuple[Path, float]:
    """What to ingest, and its MB of text."""
    if args.set == "bundled":
        mb = sum(p.stat().st_size for p in BUNDLED.iterdir() if p.is_file()) / 1e6
        return BUNDLED, mb
    if not STARD.is_file():
        raise SystemExit(f"{STARD} is missing (../shared/data must sit beside the repository)")
    if args.limit is None:
        with gzip.open(STARD, "rt", encoding="utf-8") as f:
            mb = sum(len(json.loads(line)["text"].encode("utf-8")) for line in f) / 1e6
        return STARD, mb
    rows = []
    with gzip.open(STARD, "rt", encoding="utf-8") as f:
        for line in f:
            if len(rows) >= args.limit:
                break
            rows.append(line)
    path = work / "corpus.jsonl.gz"  # compressed as the full set is (files/ keeps it)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("".join(rows))
    return path, sum(len(json.loads(r)["text"].encode("utf-8")) for r in rows) / 1e6


def _build(repo: Path, source: Path, folder: Path) -> None:
    """`gongwen ingest` of the repository at repo (its own venv when it has one)."""
    python = repo / ".venv" / "bin" / "python"
    proc = subprocess.run([str(python if python.exists() else sys.executable), "-m",
                           "search_app.cli", "ingest", str(source), "--index", str(folder),
                           "--quiet"], cwd=repo, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{repo}: gongwen ingest failed: {proc.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("bundled", "stard"), default="bundled")
    parser.add_argument("--limit", type=int, help="only the first N STARD articles")
    parser.add_argument("--index", type=Path, action="append",
                        help="measure this built index instead (twice: side by side)")
    parser.add_argument("--baseline-repo", type=Path,
                        help="also build with this checkout and compare (e.g. /work/old/main)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    if args.index:
        results = []
        for path in args.index:
            c, t = measure(path)
            results.append((path.name, c, t))
        _table(results)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="gongwen-size-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        source, mb = _source(args, work)
        builds = [("this branch", REPO)]
        if args.baseline_repo:
            builds.append((args.baseline_repo.name or str(args.baseline_repo), args.baseline_repo))
        results = []
        for i, (name, repo) in enumerate(builds):
            folder = work / f"index{i}"
            _build(repo, source, folder)
            c, t = measure(folder)
            results.append((name, c, t))
        print(f"{args.set}{'' if args.limit is None else f' (first {args.limit})'}: "
              f"{mb:.3g} MB of text; index {results[0][2] / 1e6:.1f} MB = "
              f"{results[0][2] / 1e6 / mb:.2f}x the text"
              + (f"; baseline {results[1][2] / 1e6:.1f} MB = {results[1][2] / 1e6 / mb:.2f}x"
                 if len(results) > 1 else ""))
        _table(results)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
