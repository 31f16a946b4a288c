"""whoosh's ``field.index(value)`` for plain ID and KEYWORD fields, without its generator chain.

A record's doc_id and title keys never repeat, so the bulk writer's memo of indexed values
(:meth:`index.write.bulk.BulkSegmentWriter._index`) never spares them, and whoosh's path (an
analyzer generator, a Token, a format's word_values over a set or defaultdicts, a generator
re-encoding each term) cost a fifth of adding a record's fields other than text. Here are the
same terms, frequencies, weights and values, in the same order (tests/test_bulk.py compares
them with whoosh's for every such field of the schema); any other field gives None.
"""
from __future__ import annotations

from typing import Any

from whoosh.analysis import IDTokenizer, RegexTokenizer
from whoosh.fields import FieldType
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint

_SPACE_SEPARATED = r"[^ \t\r\n]+"  # whoosh's SpaceSeparatedTokenizer: KEYWORD's default


def plain_index(field: Any, value: Any) -> tuple[tuple[bytes, int, float, bytes], ...] | None:
    """tuple(field.index(value)) for an ID field or a space-separated KEYWORD field (no
    lowercasing), else None (the caller asks whoosh)."""
    if not isinstance(value, str) or type(field).index is not FieldType.index:
        return None
    analyzer, fmt = field.analyzer, field.format
    if type(analyzer) is IDTokenizer and type(fmt) is Existence:  # the whole value, one term
        return ((value.encode("utf-8"), 1, fmt.field_boost, b""),)
    if type(analyzer) is RegexTokenizer and not analyzer.gaps and type(fmt) is Frequency \
            and analyzer.expression.pattern == _SPACE_SEPARATED:
        counts: dict[str, int] = {}  # in first-seen order, as Frequency.word_values
        for word in analyzer.expression.findall(value):
            counts[word] = counts.get(word, 0) + 1
        boost = fmt.field_boost
        return tuple((word.encode("utf-8"), n, float(n) * boost, pack_uint(n))
                     for word, n in counts.items())
    return None
