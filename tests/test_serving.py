"""Serving: security headers, pages without inline code, waitress's limits, its log under load."""
from __future__ import annotations

import logging
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from render import REPO
from search_app import SECURITY_HEADERS
from search_app.serving import EveryInterval, ServerLimits, default_workers, limit_names

TEMPLATES = REPO / "search_app" / "templates"


def test_every_kind_of_response_carries_the_security_headers(client, bulletin_id):
    responses = {
        "search page": client.get("/"),
        "results": client.get("/search?q=产业工人"),
        "document": client.get(f"/documents/{bulletin_id}"),
        "api": client.get("/api/search?q=产业工人"),
        "api error": client.get("/api/search?q=x&page=abc"),
        "not found": client.get("/no/such/page"),
        "static": client.get("/static/copy.js"),
    }
    for name, response in responses.items():
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, name
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
        assert response.headers.get("X-Frame-Options") == "DENY", name
        assert response.headers.get("Referrer-Policy") == "same-origin", name
        response.close()
    assert dict(responses["api"].headers).items() >= SECURITY_HEADERS.items()


class InlineCode(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
            self._in_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_detector_finds_what_it_looks_for():
    html = ('<script>alert(1)</script><button onclick="x()">b</button><p style="color:red">'
            '<a href="javascript:void(0)">a</a><style>p{}</style><script src="/s.js"></script>')
    assert inline_code(html) == ["<script> without src", "onclick= on <button>",
                                 "style= on <p>", "javascript: URL in href= on <a>",
                                 "<style> element"]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_template_holds_inline_script_or_style(template):
    assert inline_code((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_no_rendered_page_holds_inline_script_or_style(client, bulletin_id):
    for url in ("/", "/search?q=产业工人", "/search?q=产业工人&sort=date",
                f"/documents/{bulletin_id}?q=产业工人", "/no/such/page", "/search?q=%22x"):
        response = client.get(url)
        assert inline_code(response.get_data(as_text=True)) == [], url


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_queue_depth_warnings_are_let_through_once_a_minute():
    now = [1000.0]
    logger = logging.getLogger("gongwen-test.queue")
    logger.propagate = False
    handler = Records()
    logger.addHandler(handler)
    logger.addFilter(EveryInterval(60.0, clock=lambda: now[0]))
    try:
        for depth in range(1, 4539):  # the 4,538 lines a minute of the issue
            logger.warning("Task queue depth is %d", depth % 50 + 1)
            now[0] += 59.9 / 4538
        assert handler.lines == ["Task queue depth is 2"]
        now[0] += 1.0
        logger.warning("Task queue depth is %d", 3)
        assert handler.lines[1] == ("Task queue depth is 3 (4537 more such warnings in the last "
                                    "60 s, largest 50)")
        now[0] += 61.0
        logger.warning("Task queue depth is %d", 7)
        assert handler.lines[2] == "Task queue depth is 7"
    finally:
        logger.removeHandler(handler)


def test_readme_serving_section_names_every_limit_and_its_value():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    serving = readme.split("\n## Serving", 1)[1].split("\n## ", 1)[0]
    limits = ServerLimits()
    for name in limit_names():
        value = getattr(limits, name)
        option = "--" + name.replace("_", "-")
        lines = [line for line in serving.splitlines() if name in line or option in line]
        assert lines, f"the Serving section does not name {name}"
        if not isinstance(value, bool):
            assert any(re.search(rf"(?<![\d,.]){value}(?![\d,.])", line) for line in lines), \
                f"the Serving section does not give {name} = {value}"


def test_the_waitress_defaults_we_compare_with_are_waitress_s_own():
    from waitress.adjustments import Adjustments

    from search_app.serving import WAITRESS_DEFAULTS

    assert set(WAITRESS_DEFAULTS) == set(limit_names())
    assert {name: getattr(Adjustments, name) for name in WAITRESS_DEFAULTS} == WAITRESS_DEFAULTS
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, value in WAITRESS_DEFAULTS.items():
        option = "--" + name.replace("_", "-")
        row = next(line for line in readme.splitlines()
                   if line.startswith((f"| `{option}` |", f"| `{name}` |")))
        cells = [cell.strip() for cell in row.split("|")[1:-1]]
        ours = getattr(ServerLimits(), name)
        if isinstance(value, bool):
            assert cells[1:3] == [("on" if ours else "off"), ("on" if value else "off")], row
        else:
            assert re.fullmatch(rf"{ours}( s)?", cells[1]), row
            assert re.fullmatch(rf"{value}( s)?", cells[2]), row


def test_small_serving_benchmark_fails_no_request_and_answers_past_idle_connections(capsys):
    """The benchmark at small scale: 10 clients x 5 s with commits, then 120 idle connections."""
    sys.path.insert(0, str(REPO))
    from benchmarks import serving

    serving.main(["--set", "corpus", "--clients", "10", "--seconds", "5", "--idle", "120",
                  "--probe-timeout", "5", "--batch", "5"])
    out = capsys.readouterr().out
    rows = {}
    for line in out.splitlines():
        row = re.match(r"(gongwen serve|waitress defaults)\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+"
                       r"[\d.]+\s+(\d+)\s+(\d+)\s+\d+\s+(.*)$", line)
        if row:
            rows[row.group(1)] = row.groups()[1:]
    ours, defaults = rows["gongwen serve"], rows["waitress defaults"]
    requests, failed, commits, queue_lines, answered = ours
    assert int(requests) > 0 and int(failed) == 0, out
    assert int(commits) >= 1, out  # a batch committed while the clients searched
    # one line a minute at most from each process (`gongwen serve` forks one per core)
    assert int(queue_lines) <= default_workers(), out
    assert answered.startswith("yes, in "), out
    # The baseline shows what the limits are for: waitress's 100 connections are all taken.
    assert defaults[4] == "no (nothing within 5 s)", out
    assert int(defaults[3]) > 1, out  # and every queued request is a line in its log


def test_readme_states_the_api_limits_the_code_enforces(client):
    from search_app.config import default_config

    config = default_config()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    api = readme.split("`GET /api/search` — parameters", 1)[1].split("\n\n", 1)[0]
    assert f"`per_page` (1–{config['MAX_PER_PAGE']}, default {config['PER_PAGE']})" in api
    assert f"`page` (1–{config['MAX_PAGE']})" in api
    assert f"`q` (up to {config['MAX_QUERY_LENGTH']} characters)" in api
    top = config["MAX_PER_PAGE"]
    assert client.get(f"/api/search?q=产业工人&per_page={top}").status_code == 200
    error = client.get(f"/api/search?q=产业工人&per_page={top + 1}").get_json()["error"]
    assert error == {"status": 400,
                     "message": f"参数 per_page 无效：应在 1 到 {top} 之间，而不是 {top + 1}"}
