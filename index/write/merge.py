"""The merge policy of ordinary commits, and the writer's memory pool."""
from __future__ import annotations

from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

WRITER_POOL_MB = 256  # whoosh's default (128) spills to disk early: ~35% slower builds
SMALL_SEGMENT = 4000  # records; only segments this small are merged by ordinary commits
SMALL_SEGMENTS_BEFORE_MERGE = 8


def merge_small(writer: SegmentWriter, segments: list) -> list:
    """Merge policy: fold many small segments into one; never rewrite a big segment."""
    small = [s for s in segments if s.doc_count_all() <= SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS_BEFORE_MERGE:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() > SMALL_SEGMENT]
