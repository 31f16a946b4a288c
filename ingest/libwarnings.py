"""Warnings that parsing libraries print (pdfminer's FontBBox …) captured for the report instead.

Real office PDFs make pdfminer log dozens of warnings per file; on the operator's terminal they
drown the one line per failed file that matters. They are kept, per file, in the report.
"""
from __future__ import annotations

import logging
import warnings
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

LOGGERS = ("pdfminer", "pdfplumber", "PIL", "docx", "bs4", "charset_normalizer")
MAX_KEPT = 20  # distinct warnings kept per file


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.seen[f"{record.name}: {record.getMessage()}"] += 1
        except Exception:  # noqa: BLE001 - a badly formatted record is not worth a failure
            self.seen[f"{record.name}: {record.msg}"] += 1


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect the libraries' log warnings and Python warnings raised in the block.

    The list is filled when the block ends: distinct messages, each once, with ×N when repeated.
    """
    collector = _Collector()
    saved = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(collector)
        logger.propagate = False  # else Python's last-resort handler prints them on stderr
    notes: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notes
    finally:
        for logger, propagate in saved:
            logger.removeHandler(collector)
            logger.propagate = propagate
        for w in caught:
            collector.seen[f"{w.category.__name__}: {w.message}"] += 1
        for text, count in collector.seen.most_common(MAX_KEPT):
            notes.append(text if count == 1 else f"{text}（共 {count} 次）")
