"""The 高级检索 fields as `gongwen search` options, passed on as the API's parameters."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
# (option, parameter, help, repeatable)
OPTIONS = (
    ("--all", "all", "包含全部检索词（空格分隔）。", False),
    ("--any", "any", "包含任意检索词（空格分隔）。", False),
    ("--phrase", "phrase", "包含完整短语。", False),
    ("--not", "not", "不包含这些检索词（空格分隔）。", False),
    ("--doc-number", "doc_number", "发文字号，可只写开头，如 国办发〔2019〕。", False),
    ("--agency", "agency", "发文字号的机关代字，如 国办发。", False),
    ("--dn-year", "dn_year", "发文字号的年份。", False),
    ("--dn-serial", "dn_serial", "发文字号的序号。", False),
    ("--issuer", "issuer", "发文机关（精确；可重复，任一即可）。", True),
    ("--kind", "kind", "文种（可重复，任一即可）。", True),
    ("--journal", "journal", "刊名（可重复，任一即可）。", True),
    ("--issue", "issue", "期号，如 2021年第12期。", False),
    ("--from", "from", "成文日期起（YYYY-MM-DD）。", False),
    ("--to", "to", "成文日期止（YYYY-MM-DD）。", False),
    ("--pub-from", "pub_from", "发布日期起（YYYY-MM-DD）。", False),
    ("--pub-to", "pub_to", "发布日期止（YYYY-MM-DD）。", False),
    ("--within", "within", "结果中检索：结果还须符合这个检索式（可重复）。", True),
)


def advanced_options(command: F) -> F:
    """Add the advanced fields, --title-only / --body-only and --issuer-sub to a command."""
    for flag, param, text, multiple in reversed(OPTIONS):
        command = click.option(flag, "adv_" + param, multiple=multiple, metavar="TEXT",
                               help=text)(command)
    command = click.option("--issuer-sub", "adv_issuer_sub", is_flag=True,
                           help="发文机关含下属机构（国务院 → 国务院办公厅）。")(command)
    command = click.option("--body-only", "adv_body_only", is_flag=True,
                           help="检索词只在正文中找。")(command)
    return click.option("--title-only", "adv_title_only", is_flag=True,
                        help="检索词只在标题中找。")(command)


def advanced_args(fields: dict[str, Any]) -> dict[str, Any]:
    """The options given, as /api/search parameters (lists for the repeatable ones)."""
    if fields.get("adv_title_only") and fields.get("adv_body_only"):
        raise click.UsageError("--title-only 与 --body-only 只能选一个")
    out: dict[str, Any] = {param: fields.get("adv_" + param)
                           for _, param, _, _ in OPTIONS if fields.get("adv_" + param)}
    out = {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}
    if fields.get("adv_issuer_sub"):
        out["issuer_sub"] = "1"
    if fields.get("adv_title_only") or fields.get("adv_body_only"):
        out["scope"] = "title" if fields.get("adv_title_only") else "body"
    return out
