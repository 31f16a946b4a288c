"""A count a bulletin states with its breakdown: 24项（其中州委、州政府出台6项，…16项）."""
from __future__ import annotations

import re

# The parenthesis right after the count (within a few characters) holds its breakdown.
_BREAKDOWN = re.compile(r"^[^。（(]{0,40}?[（(]其中([^（()）]{2,200})[)）]")
_PART = re.compile(r"^(.*?)(?:共|已|先后)?(?:制定|出台|印发|发布)?(?:了)?(\d+)项")
_SEPARATORS = re.compile(r"[，,；;]")
_COUNT = re.compile(r"\d+项")


def stated_breakdown(text: str) -> str | None:
    """「who：n；who：n」 from the text that starts at a stated count, or None without one.

    The parts are kept as stated, without checking that they add up: the page shows both.
    """
    match = _BREAKDOWN.match(text)
    if not match:
        return None
    parts = []
    pieces = []
    for piece in _SEPARATORS.split(match.group(1)):  # 省级5项、州级7项: 、 parts two counts
        pieces += piece.split("、") if len(_COUNT.findall(piece)) > 1 else [piece]
    for piece in pieces:
        part = _PART.match(piece.strip())
        if not part or not part.group(1).strip():
            return None  # a clause that is not "who n项": not a breakdown
        parts.append(f"{part.group(1).strip()}：{part.group(2)}")
    return "；".join(parts) if len(parts) > 1 else None

