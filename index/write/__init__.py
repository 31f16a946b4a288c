"""The write path: Documents in, segments committed.

sync (a batch, `gongwen ingest`) → batch (what is accepted, commits) → workers (parse a part
through ingest.batch, write a segment with bulk) ; writer (small writes of Index) and merge
(the merge policy of ordinary commits).
"""
