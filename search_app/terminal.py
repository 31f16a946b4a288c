"""Making text from documents and file names safe to print on a terminal.

A title or a file name can hold escape sequences (recolour, retitle or clear the terminal) and
newlines (forge a line of output that scripts read, such as `失败: PATH: reason`).
"""
from __future__ import annotations

import json
import re
from typing import Any

# ESC-introduced sequences: CSI (ESC [ … final), OSC/DCS/PM/APC/SOS strings (… BEL or ESC \),
# and two-character escapes; their 8-bit C1 forms (0x9b CSI, 0x9d OSC …) too.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]")
# C0 and C1 control characters and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_KEEP_IN_TEXT = {"\n", "\t"}


def terminal_text(text: str) -> str:
    """Multi-line output: escape sequences and control characters removed, newline and tab kept."""
    text = _ESCAPE.sub("", text)
    return _CONTROL.sub(lambda m: m.group() if m.group() in _KEEP_IN_TEXT else "", text)


def terminal_line(line: str) -> str:
    """One line of output: every control character shown as an escape (\\n, \\x1b), so a file
    name keeps its identity and cannot start a line of its own."""
    return _CONTROL.sub(lambda m: _visible(m.group()), line)


def _visible(char: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


def terminal_json(obj: Any) -> str:
    """JSON for the terminal: non-ASCII as is, but C1 controls escaped too (json leaves them)."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
