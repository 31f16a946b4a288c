"""The application's settings, declared once as data with their defaults and help text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration key of the web application."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX_PATH", None,
            "索引目录（Path 或字符串）；为 None 时使用实例目录下的 index/。"),
    Setting("USERDICT", None,
            "jieba 用户词典文件；为 None 时使用索引自带的领域词典。"),
    Setting("PER_PAGE", 10, "每页显示的文档数（网页与 API 的默认值）。"),
    Setting("MAX_PER_PAGE", 50, "API 参数 per_page 允许的最大值。"),
    Setting("MAX_PAGE", 1000, "参数 page 允许的最大值。"),
    Setting("MAX_QUERY_LENGTH", 200, "检索词允许的最大字符数。"),
    Setting("PASSAGES_PER_DOC", 3, "每篇命中文档最多显示的段落数。"),
    Setting("CACHE_MB", 96, "检索缓存（词项倒排、文档文本）合计占用内存的上限，单位 MB；"
                            "所有线程共用，按最近最少使用淘汰。"),
)


def default_config() -> dict[str, Any]:
    """The default value of every setting, keyed by name."""
    return {s.name: s.default for s in SETTINGS}
