"""A notice posted twice shows as one original and one repeat, in the API, the page and the CLI."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.analysis import normalize_text
from index.search.similar import SAME_TEXT, _same, jaccard, same_as, shingles
from render import DATA
from search_app.cli import cli

BODY = """各县市总工会：

为推动技能人才培养，决定举办全州职工技能大赛。比赛设电工、焊工、钳工三个项目，参赛职工须为在岗职工，
由各县市总工会择优推荐，每个项目每县市推荐不超过三人。比赛成绩优异者按规定授予州技术能手称号。

示例州总工会

2021年3月1日
"""
ORIGINAL = "示例州总工会关于举办职工技能大赛的通知\n\n" + BODY
# The same notice on a county site: another headline, the site's source line below it.
REPOST = "转发示例州总工会关于举办职工技能大赛的通知\n\n" + BODY + "\n来源：示例县总工会网站\n"
# A news story about the notice: it repeats a sentence, the rest is its own.
STORY = """示例州将举办职工技能大赛

记者从州总工会获悉，为推动技能人才培养，决定举办全州职工技能大赛。今年大赛首次走进园区，
企业职工报名踊跃，各县市正在组织选拔，预计将有数百名职工同场竞技。
"""


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    folder = tmp_path_factory.mktemp("repeats")
    (folder / "in").mkdir()
    for name, text in {"original.txt": ORIGINAL, "repost.txt": REPOST, "story.txt": STORY}.items():
        (folder / "in" / name).write_text(text, encoding="utf-8")
    prepare_analysis()
    summary = ingest_into_index([folder / "in"], folder / "index")
    assert summary.failures == () and summary.indexed == 3
    return folder / "index"


@pytest.fixture(scope="module")
def client(index_dir: Path) -> Iterator:
    from search_app import create_app
    from search_app.store import close_index

    app = create_app({"TESTING": True, "INDEX_PATH": index_dir})
    yield app.test_client()
    close_index(app)


def results(client, q: str) -> list[dict]:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()["results"]


def test_the_repost_points_at_the_notice_above_it_and_the_story_at_nothing(client) -> None:
    hits = results(client, "职工技能大赛 电工")  # the story has no 电工
    assert len(hits) == 2
    first, second = hits
    assert first["same_as"] is None
    assert second["same_as"] == first["doc_id"]
    assert {first["title"], second["title"]} == {
        "示例州总工会关于举办职工技能大赛的通知", "转发示例州总工会关于举办职工技能大赛的通知"}
    story = [h for h in results(client, "职工技能大赛") if h["title"] == "示例州将举办职工技能大赛"]
    assert len(story) == 1 and story[0]["same_as"] is None


def test_the_page_says_which_hit_a_repeat_repeats(client) -> None:
    page = client.get("/search", query_string={"q": "职工技能大赛 电工"}).get_data(as_text=True)
    assert page.count('class="same-as"') == 1
    assert "与第 1 条内容基本相同" in page


def test_the_cli_says_which_hit_a_repeat_repeats(index_dir: Path) -> None:
    from click.testing import CliRunner

    out = CliRunner().invoke(cli, ["search", "职工技能大赛 电工", "--index", str(index_dir)])
    assert out.exit_code == 0, out.output
    second = out.stdout.split("\n2. ", 1)[1]
    assert "与第 1 条内容基本相同" in second
    assert "内容基本相同" not in out.stdout.split("\n2. ", 1)[0]


def test_same_text_threshold() -> None:
    original, repost, story = (shingles(t) for t in (ORIGINAL, REPOST, STORY))
    assert jaccard(original.grams, repost.grams) >= 0.9
    assert jaccard(original.grams, story.grams) < 0.5
    sets = [original, story, repost, repost]
    # a third and fourth copy point at the first, not at each other
    assert same_as(["a", "b", "c", "d"], sets.__getitem__) == [None, None, "a", "a"]
    assert same_as([], sets.__getitem__) == []
    assert same_as(["x", "y"], [shingles(""), shingles("")].__getitem__) == [None, None]


@pytest.mark.skipif(not (DATA / "ncp_policies" / "corpus.jsonl").is_file(), reason="no ncp data")
def test_the_sketch_never_changes_the_answer_on_real_reposts() -> None:
    # Every pair of ncp_policies documents near enough in size to be compared: the sketch
    # must rule out only pairs whose exact Jaccard is below the threshold.
    rows = [json.loads(line) for line in (DATA / "ncp_policies" / "corpus.jsonl").open()]
    found = sorted((shingles(normalize_text(r["text"])) for r in rows), key=lambda s: len(s.grams))
    compared = same = 0
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if len(a.grams) < SAME_TEXT * len(b.grams):
                break
            compared += 1
            exact = jaccard(a.grams, b.grams) >= SAME_TEXT
            same += exact
            assert _same(a, b, SAME_TEXT) == exact
    assert compared > 10_000 and same > 50  # the corpus is full of re-posted notices


def test_bigram_codes_count_what_bigram_strings_count() -> None:
    # the compact shingles (integers) against the plain definition (sets of two-char strings)
    def plain(text: str) -> set[str]:
        chars = "".join(text.split())
        return {chars[i:i + 2] for i in range(len(chars) - 1)}

    texts = [ORIGINAL, REPOST, STORY, "甲乙甲乙甲乙", "A股𠀀𠀁 GDP增长5%", "甲", ""]
    for a in texts:
        assert len(shingles(a).grams) == len(plain(a))
        for b in texts:
            x, y = plain(a), plain(b)
            expected = len(x & y) / len(x | y) if x and y else 0.0
            assert jaccard(shingles(a).grams, shingles(b).grams) == pytest.approx(expected)
