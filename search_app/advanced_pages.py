"""The 高级检索 page, its submission, and the query syntax help page (issue 13)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from search_app import advanced, present

bp = Blueprint("advanced", __name__)
# Fields passed on to /search as they are (several values each).
PASSED = ("scope", "issuer", "issuer_sub", "kind", "journal", "issue", "type", "from", "to",
          "pub_from", "pub_to", "title", "sort")


@bp.get("/advanced")
def form() -> str:
    """The form: words, 发文字号 (whole or in parts), 发文机关, 文种, 刊名 and 期号, two date ranges."""
    return render_template("advanced.html", sort_labels=present.SORT_LABELS, error=None)


@bp.get("/advanced/search")
def submit() -> Response | tuple[str, int]:
    """The form as the plain search URL (q in the search box's syntax), so chips can undo it."""
    args = request.args
    try:
        doc_number = advanced.compose_doc_number(args)
    except ValueError as e:
        return render_template("advanced.html", sort_labels=present.SORT_LABELS, error=str(e)), 400
    params: dict[str, list[str]] = {k: vs for k in PASSED
                                    if (vs := [v.strip() for v in args.getlist(k) if v.strip()])}
    if params.get("scope") == ["all"]:
        del params["scope"]
    if doc_number:
        params["doc_number"] = [doc_number]
    q = advanced.compose_query(args)
    return redirect(url_for("views.search", **({"q": q} if q else {}), **params))


@bp.get("/help/search")
def syntax_help() -> str:
    """How to write a query: words, phrases, OR, NOT, parentheses, field prefixes."""
    return render_template("help_search.html")
