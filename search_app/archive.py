"""The archive pages (issue 12): bulletin series and their issues, the measures catalogue,
the home page's lists, and the same as JSON under /api."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from flask import Blueprint, Response, abort, current_app, jsonify, render_template

from index import IndexError_, IssueNeighbours, MeasuresCatalogue, SeriesSummary
from search_app.measures import load_measures
from search_app.store import get_index

bp = Blueprint("archive", __name__)
api_bp = Blueprint("archive_api", __name__, url_prefix="/api")

@bp.app_template_filter("gap_labels")
def gap_labels(missing: Sequence[int]) -> list[str]:
    """Missing 期号 as the page names them, runs joined: [1, 2, 3, 5] → 缺第1–3期, 缺第5期."""
    runs: list[list[int]] = []
    for n in sorted(missing):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [f"缺第{a}期" if a == b else f"缺第{a}–{b}期" for a, b in runs]


HOME_SERIES = 8  # series the home page lists
HOME_LATEST = 8  # latest issues the home page lists


def catalogue() -> tuple[MeasuresCatalogue, str | None]:
    """The catalogue of the app's index, with the office's declared list when one is loaded."""
    declared, source = load_measures(Path(current_app.config["INDEX_PATH"]))
    return get_index().measures_catalogue(declared), source


def home_context() -> dict[str, Any]:
    """What the home page lists besides the search box: series and their latest issues.

    An index that cannot be read leaves the lists out: the search box still shows, and a
    search gives the reason.
    """
    try:
        index = get_index()
        summaries: tuple[SeriesSummary, ...] = index.series_list()
        latest = index.latest_issues(HOME_LATEST)
    except IndexError_:
        return {"series_list": (), "series_more": False, "latest_issues": ()}
    return {"series_list": summaries[:HOME_SERIES], "series_more": len(summaries) > HOME_SERIES,
            "latest_issues": latest}


def issue_nav(doc_id: str) -> IssueNeighbours | None:
    """The previous and next issue of a bulletin page's series (None for other documents)."""
    return get_index().issue_neighbours(doc_id)


@bp.get("/series")
def series_list() -> str:
    """Every bulletin series with its latest issue."""
    return render_template("series_list.html", series_list=get_index().series_list())


@bp.get("/series/<series_id>")
def series(series_id: str) -> str:
    """One series: its issues by year, the gaps in their numbering, 增刊 apart."""
    found = get_index().series(series_id)
    if found is None:
        abort(404, description=f"未找到该刊物（编号 {series_id}）。")
    return render_template("series.html", series=found)


@bp.get("/measures")
def measures() -> str:
    """The catalogue of policy measures: by level and issuer, the declared list, the counts."""
    found, source = catalogue()
    return render_template("measures.html", catalogue=found, source=source)


@api_bp.get("/series")
def api_series_list() -> Response:
    """{"series": [SeriesSummary…]}"""
    return jsonify({"series": [s.to_dict() for s in get_index().series_list()]})


@api_bp.get("/series/<series_id>")
def api_series(series_id: str) -> Response:
    """Series.to_dict() of one series, or a 404 envelope."""
    found = get_index().series(series_id)
    if found is None:
        abort(404, description=f"未找到刊物：{series_id}")
    return jsonify(found.to_dict())


@api_bp.get("/measures")
def api_measures() -> Response:
    """MeasuresCatalogue.to_dict(), and the file the declared list came from."""
    found, source = catalogue()
    return jsonify({**found.to_dict(), "declared_source": source})
