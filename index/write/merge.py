"""Which segments a commit merges: tiers by bytes on disk, with bounded work per commit.

whoosh merges by rewriting every record of the merged segments, so a merge costs what the
segments weigh on disk. Counting records instead (the old policy: every segment of at most
4,000 records was "small") made a collection of whole documents, one record each, all
small, and every 8th commit rewrote the whole index (362 MB of laws, 110 s, 1.2 GB to add a
two-line file). Here, as in Lucene's log-byte-size and tiered policies, a segment's tier is
the power of TIER_FACTOR its size falls in above FLOOR_BYTES; TIER_FACTOR segments of one
tier are merged into one of the next, and a commit merges at most its budget of bytes:
COMMIT_MERGE_BYTES, or BUDGET_FACTOR times what the commit itself adds (a big batch may tidy
up after itself in proportion). Bigger merges wait for `gongwen optimize`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

# A bulletin's segment is 20-60 KB: segments under 256 KB are tier 0, 256 KB-2 MB tier 1,
# 2-16 MB tier 2 ... Single adds fold into a tier-1 segment every 8 commits and into a tier-2
# one every 64; tier 2 and up (8 x 2 MB > COMMIT_MERGE_BYTES) wait for `gongwen optimize`.
FLOOR_BYTES = 256 * 1024
TIER_FACTOR = 8  # segments of one tier merged together; also the most a tier keeps waiting
# whoosh rewrites about 10 MB/s here (benchmarks/add_one.py): 4 MB keeps a commit well
# under a second of merging, whatever the size of the index.
COMMIT_MERGE_BYTES = 4 * 1024 * 1024
BUDGET_FACTOR = 3  # a batch that writes N bytes may merge up to 3N
DELETED_SHARE = 0.3  # a segment with this share of records deleted is rewritten to drop them

WRITER_POOL_MB = 256  # whoosh's default (128) spills to disk early: ~35% slower builds

MergePolicy = Callable[[SegmentWriter, list], list]


@dataclass(frozen=True)
class Segment:
    """One segment as the policy sees it."""

    segment: Any  # whoosh's segment object
    size: int  # bytes on disk
    records: int
    deleted: int

    @property
    def tier(self) -> int:
        return tier_of(self.size)


def describe(storage: Any, segments: Sequence[Any]) -> list[Segment]:
    """Each segment's size on disk (all its files) and record counts."""
    out = []
    for seg in segments:
        size = sum(storage.file_length(name) for name in seg.list_files(storage))
        out.append(Segment(seg, size, seg.doc_count_all(), seg.deleted_count()))
    return out


def tier_of(size: int) -> int:
    """0 under FLOOR_BYTES, then one more for each TIER_FACTOR times bigger."""
    if size < FLOOR_BYTES:
        return 0
    return 1 + int(math.log(size / FLOOR_BYTES, TIER_FACTOR))


def choose(segments: Sequence[Segment], budget: int) -> list[Segment]:
    """The segments to merge in one commit, within budget bytes.

    Tier by tier, smallest first, groups of TIER_FACTOR. whoosh merges everything chosen
    into the commit's one new segment, so that segment (out) counts as a member of the tier
    its size has reached. Then segments heavy with deletions, to drop the deleted records.
    """
    chosen: list[Segment] = []
    out = 0
    ordered = sorted(segments, key=lambda s: s.size)
    for tier in range(max((s.tier for s in ordered), default=0) + 1):
        members = [s for s in ordered if s.tier == tier]
        while True:
            wanted = TIER_FACTOR - (1 if out and tier_of(out) == tier else 0)
            if len(members) < wanted:
                break
            group, members = members[:wanted], members[wanted:]
            cost = sum(s.size for s in group)
            if cost > budget:
                break
            chosen += group
            budget -= cost
            out += cost
    for s in ordered:
        if s not in chosen and s.records and s.deleted >= DELETED_SHARE * s.records \
                and s.size <= budget:
            chosen.append(s)
            budget -= s.size
    return chosen


def merge(writer: SegmentWriter, merged: Sequence[Segment]) -> None:
    """Copy the live records of the segments into the writer's new segment."""
    for s in merged:
        reader = SegmentReader(writer.storage, writer.schema, s.segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()


def tiered(added_bytes: int = 0) -> MergePolicy:
    """The merge policy for a commit that adds added_bytes of new segments."""
    budget = max(COMMIT_MERGE_BYTES, BUDGET_FACTOR * added_bytes)

    def policy(writer: SegmentWriter, segments: list) -> list:
        chosen = choose(describe(writer.storage, segments), budget)
        if len(chosen) < 2 and not any(s.deleted for s in chosen):
            return segments  # merging one clean segment would only copy it
        merge(writer, chosen)
        gone = {id(s.segment) for s in chosen}
        return [seg for seg in segments if id(seg) not in gone]

    return policy


def merge_all(writer: SegmentWriter, segments: list) -> list:
    """Merge every segment into one (gongwen optimize)."""
    if len(segments) < 2 and not any(seg.deleted_count() for seg in segments):
        return segments
    merge(writer, describe(writer.storage, segments))
    return []


# The policy before issue 9, kept as the baseline of benchmarks/add_one.py.
OLD_SMALL_SEGMENT = 4000  # records
OLD_SMALL_SEGMENTS_BEFORE_MERGE = 8


def by_record_count(writer: SegmentWriter, segments: list) -> list:
    """The old policy: once 8 segments have at most 4,000 records each, merge them all."""
    small = [s for s in segments if s.doc_count_all() <= OLD_SMALL_SEGMENT]
    if len(small) < OLD_SMALL_SEGMENTS_BEFORE_MERGE:
        return segments
    merge(writer, describe(writer.storage, small))
    return [s for s in segments if s.doc_count_all() > OLD_SMALL_SEGMENT]
