"""A batch killed with SIGKILL at random points leaves a searchable index, and running the same
batch again finishes the job: every document exactly once, each with its latest content."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from batch_support import REPO, summary_counts, write_jsonl

KILLS = 20
TXT_FILES = 240
JSONL_FILES = 6
RECORDS = 25
PARAGRAPH = ("各县市区要把职工技能培训作为推进产业工人队伍建设改革的重要抓手，"
             "完善培训补贴政策，推动企业建立健全职工培训制度，提升职工技能水平。")


def write_batch(inbox: Path, versions: dict[str, int], rng: random.Random, share: float) -> None:
    """(Re)write a random share of the files with a new version; every file at least once."""
    for i in range(TXT_FILES):
        doc_id = f"wen-{i:03d}"
        if doc_id in versions and rng.random() > share:
            continue
        v = versions[doc_id] = versions.get(doc_id, 0) + 1
        # Paragraphs that differ (cut and indexed anew, not served from a cache): a batch
        # long enough for the kills below to land inside its work, not only in start-up.
        body = "\n\n".join([f"第{i}号通知第{v}版。"] +
                           [f"第{n}段（{i}之{v}）{PARAGRAPH}" for n in range(30)])
        (inbox / f"{doc_id}.txt").write_text(
            f"---\ntitle: 第{i}号通知（第{v}版）\ndoc_type: policy\n---\n{body}\n", encoding="utf-8")
    for j in range(JSONL_FILES):
        key = f"articles-{j}"
        if key in versions and rng.random() > share:
            continue
        v = versions[key] = versions.get(key, 0) + 1
        records = [{"id": f"art-{j}-{k:02d}", "title": f"第{j}编第{k}条（第{v}版）",
                    "text": f"第{j}编第{k}条第{v}版。{PARAGRAPH}"} for k in range(RECORDS)]
        write_jsonl(inbox / f"{key}.jsonl", records)


def expected(versions: dict[str, int]) -> dict[str, str]:
    """doc_id → the title of its latest version."""
    out = {}
    for key, v in versions.items():
        if key.startswith("wen-"):
            out[key] = f"第{int(key[4:])}号通知（第{v}版）"
        else:
            j = int(key.split("-")[1])
            out.update({f"art-{j}-{k:02d}": f"第{j}编第{k}条（第{v}版）" for k in range(RECORDS)})
    return out


def survivors(marker: str) -> list[int]:
    """Processes (workers included) whose command line names this batch's folder."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def check(index: Path, versions_seen: dict[str, set[str]]) -> dict[str, str]:
    """The index opens, searches, holds no doc_id twice, and only versions we wrote."""
    from index import SearchRequest, open_index

    with open_index(index) as ix:
        ids = ix.all_doc_ids()
        assert len(ids) == len(set(ids)), "a document is in the index twice"
        titles = {d: ix.get_document(d).title for d in ids}
        if ids:
            assert ix.search(SearchRequest(q="培训", per_page=5)).total == len(ids)
    for doc_id, title in titles.items():
        assert title in versions_seen[doc_id], (doc_id, title)
    return titles


def test_kill_at_random_points_then_finish(tmp_path):
    rng = random.Random(20240607)
    inbox, index = tmp_path / "inbox", tmp_path / "idx"
    inbox.mkdir()
    versions: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    command = [sys.executable, "-m", "search_app.cli", "ingest", str(inbox), "--index", str(index),
               "--quiet", "--jobs", "2"]
    # How long a whole batch takes here: kill times are drawn relative to it, so that the
    # kills land inside batches on a fast machine and on a slow one.
    write_batch(inbox, versions, rng, share=1.0)
    for doc_id, title in expected(versions).items():
        seen.setdefault(doc_id, set()).add(title)
    start = time.monotonic()
    assert subprocess.run(command, cwd=REPO, capture_output=True).returncode == 0
    whole = time.monotonic() - start
    start = time.monotonic()  # and how much of that is start-up (nothing changed: no work)
    assert subprocess.run(command, cwd=REPO, capture_output=True).returncode == 0
    idle = time.monotonic() - start
    killed = finished = 0
    # Kill inside the work (a 0.4 share of the files is about 0.4 of it), or just before it.
    low, high = 0.9 * idle, idle + 0.4 * (whole - idle)
    for _ in range(3 * KILLS):
        if killed == KILLS:
            break
        write_batch(inbox, versions, rng, share=0.4)
        for doc_id, title in expected(versions).items():
            seen.setdefault(doc_id, set()).add(title)
        proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        began = time.monotonic()
        try:
            proc.wait(timeout=rng.uniform(low, high))
            finished += 1
            # It finished first: this machine is faster now than when timed (a load that
            # lifted): draw the next kills from before the time this run took.
            took = time.monotonic() - began
            high = min(high, 0.9 * took)
            low = min(low, 0.7 * high)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
        proc.stdout.close()
        proc.stderr.close()
        time.sleep(0.2)
        assert survivors(str(inbox)) == [], "a worker outlived the killed batch"
        if (index / "gongwen-index.json").exists():
            check(index, seen)
    print(f"{killed} runs killed mid-batch, {finished} finished before the kill "
          f"(a whole batch: {whole:.1f} s, of which start-up {idle:.1f} s)")
    assert killed == KILLS, f"only {killed} runs were killed mid-batch"

    final = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    counts = summary_counts(final.stdout)
    assert counts["failed"] == 0
    titles = check(index, seen)
    assert titles == expected(versions)  # every document once, each in its latest version
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert summary_counts(again.stdout)["unchanged"] == TXT_FILES + JSONL_FILES
