"""Fixtures for the web app and CLI: a real on-disk index built from the reference bulletin."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from web_support import BULLETIN_TITLE, RenderedPdf, ServerThread, find_doc_id, write_corpus


@pytest.fixture(scope="module")
def rendered_bulletin(tmp_path_factory: pytest.TempPathFactory) -> RenderedPdf:
    """The test corpus on disk; returns the reference bulletin's PDF and where each line fell."""
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def corpus_dir(rendered_bulletin: RenderedPdf) -> Path:
    return rendered_bulletin.path.parent


@pytest.fixture(scope="module")
def index_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real whoosh index on disk, built once per test module through the library."""
    from search_app.indexing import ingest_into_index
    from search_app.store import prepare_analysis

    prepare_analysis()
    path = tmp_path_factory.mktemp("index") / "index"
    summary = ingest_into_index([corpus_dir], path)
    assert summary.failures == (), summary.failure_lines()
    assert summary.indexed == 3
    return path


@pytest.fixture(scope="module")
def app(index_dir: Path) -> Iterator:
    from search_app import create_app
    from search_app.store import close_index

    app = create_app({"TESTING": True, "INDEX_PATH": index_dir})
    yield app
    close_index(app)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    """click's runner for the `gongwen` group (search_app.cli.cli), stdout and stderr apart."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="module")
def bulletin_id(app) -> str:
    return find_doc_id(app, BULLETIN_TITLE)


@pytest.fixture(scope="module")
def bulletin(app, bulletin_id: str):
    """The reference bulletin as the index gives it back."""
    from search_app.store import get_store

    return get_store(app).get().get_document(bulletin_id)


@pytest.fixture(scope="module")
def passage_pages(bulletin, rendered_bulletin: RenderedPdf) -> dict[str, int]:
    """Passage id → the page on which the PDF renderer drew that paragraph's first line."""
    pages = {p.id: rendered_bulletin.span_of(p.text[:12])[0] for p in bulletin.passages()}
    assert len(pages) == 9 and len(set(pages.values())) > 1, pages
    return pages


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[ServerThread]:
    with ServerThread(app) as server:
        yield server
