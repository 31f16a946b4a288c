"""The app behind a real HTTP server on 127.0.0.1, spoken to with urllib."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from web_support import BULLETIN_ISSUE, BULLETIN_TITLE, merge_marks


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_api_search_over_http(live_server, bulletin_id):
    status, headers, body = fetch(f"{live_server.url}/api/search?q={urllib.parse.quote('产业工人')}")
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body.decode("utf-8"))
    hit = next(h for h in data["results"] if h["doc_id"] == bulletin_id)
    assert hit["title"] == BULLETIN_TITLE and hit["issue"] == BULLETIN_ISSUE


def test_api_error_envelope_over_http(live_server):
    status, headers, body = fetch(f"{live_server.url}/api/search?q=x&page=abc")
    assert status == 400
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body)["error"]["status"] == 400


def test_pages_over_http(live_server, bulletin_id):
    status, headers, body = fetch(f"{live_server.url}/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'name="q"' in body.decode("utf-8")
    status, _, body = fetch(f"{live_server.url}/search?q={urllib.parse.quote('产业工人')}")
    assert status == 200
    assert "<mark>产业工人</mark>" in merge_marks(body.decode("utf-8"))
    status, _, body = fetch(f"{live_server.url}/documents/{bulletin_id}")
    assert status == 200 and BULLETIN_TITLE in body.decode("utf-8")
    status, _, _ = fetch(f"{live_server.url}/static/style.css")
    assert status == 200
