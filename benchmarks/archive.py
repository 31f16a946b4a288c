"""The archive pages' reads (issue 12): series, a series' issues and the measures catalogue,
from the card column, against the baseline of reading every stored document (what any page
listing the collection would cost without the column).

Builds an index in --work of ../shared/data/govcn_2019 (29 real State Council 公文) and of
--issues generated bulletins in the reference bulletin's layout (4 series, yearly numbering,
a 《…》 citation of a real govcn title each, ~1.5 KB of body), then in one process times, on a
fresh open (cold) and again (warm): series_list, series, measures_catalogue; and the baseline,
get_document for every doc_id. Prints the figures side by side.

    python -m benchmarks.archive --work /tmp/archive-bench [--issues 400] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOVCN = REPO.parent / "shared" / "data" / "govcn_2019" / "documents.jsonl"
OFFICES = ("示例省产业工人队伍建设改革工作协调领导小组办公室", "示例省总工会办公室",
           "示例州人力资源和社会保障局办公室", "示例县人民政府办公室")
BODY = ("各地各部门认真贯彻落实党中央、国务院决策部署，扎实推进新时期产业工人队伍建设改革，"
        "在思想政治引领、技能形成体系、权益维护保障等方面取得积极进展。") * 8


def write_corpus(folder: Path, issues: int) -> int:
    """govcn_2019 and `issues` bulletins in folder; returns how many documents it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    titles = [json.loads(line)["title"] for line in GOVCN.read_text(encoding="utf-8").splitlines()]
    shutil.copyfile(GOVCN, folder / "govcn.jsonl")
    for n in range(issues):
        office = OFFICES[n % len(OFFICES)]
        k = n // len(OFFICES)
        year, number = 2015 + k // 24, k % 24 + 1
        if number == 7 and n % 3 == 0:
            continue  # a gap in the numbering
        text = (f"{office} 工作简报\n\n{year} 年第 {number} 期（总第 {k + 1} 期）\n\n{office}\n\n"
                f"{year} 年 {number % 12 + 1} 月 {n % 27 + 1} 日\n\n第{k + 1}期工作动态综述\n\n"
                f"认真学习贯彻《{titles[n % len(titles)]}》。{BODY}\n\n报：省委办公厅。\n")
        (folder / f"b{n:05d}.txt").write_text(text, encoding="utf-8")
    return len(list(folder.glob("b*.txt"))) + len(titles)


def timed(fn, repeat: int) -> float:
    """Best of `repeat` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--issues", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not GOVCN.is_file():
        raise SystemExit(f"需要 {GOVCN}（../shared/data）")

    from index import open_index, sync_paths
    from search_app.store import prepare_analysis

    prepare_analysis()
    corpus, index_path = args.work / "corpus", args.work / "index"
    shutil.rmtree(args.work, ignore_errors=True)
    expected = write_corpus(corpus, args.issues)
    t = time.perf_counter()
    report = sync_paths(index_path, [corpus], jobs=1)
    print(f"index: {expected} documents ({report.documents_added} added) "
          f"in {time.perf_counter() - t:.1f} s")

    index = open_index(index_path)
    try:
        index.doc_count()  # the searcher is open: what follows is the column and the lists
        t = time.perf_counter()
        series = index.series_list()
        cold = (time.perf_counter() - t) * 1000
        sid = series[0].series_id
        catalogue = index.measures_catalogue()
        print(f"{len(series)} series, {sum(s.issues for s in series)} issues, "
              f"{sum(len(g.entries) for g in catalogue.groups)} policy documents, "
              f"{sum(len(e.mentions) for g in catalogue.groups for e in g.entries)} citations")
        ids = index.all_doc_ids()
        rows = [
            ("series_list, first call (reads the card column)", cold),
            ("series_list, warm", timed(index.series_list, args.repeat)),
            ("series (one), warm", timed(lambda: index.series(sid), args.repeat)),
            ("latest_issues(8), warm", timed(lambda: index.latest_issues(8), args.repeat)),
            ("measures_catalogue, warm", timed(index.measures_catalogue, args.repeat)),
            ("baseline: get_document for every doc_id",
             timed(lambda: [index.get_document(d) for d in ids], args.repeat)),
        ]
    finally:
        index.close()
    for label, ms in rows:
        print(f"{label:<52} {ms:9.1f} ms")


if __name__ == "__main__":
    main()
