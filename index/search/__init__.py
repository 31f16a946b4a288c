"""The read path: a request in, ranked hits out.

reader (the read half of Index) → run (one search) → query (parse; units, identifiers,
expand) → ranking and scoring (BM25F in numpy, the citation prior of authority) → similar
(repeats) → highlight (passages shown).
"""
