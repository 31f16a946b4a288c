"""Tokenizers for Chinese official documents: a jieba word tokenizer and a character-bigram one.

Both honour whoosh's tokenizer contract: ordinal ``pos`` (phrase queries depend on it),
``startchar``/``endchar`` offsets into the value as given (highlights depend on them),
``positions``/``chars``/``removestops``/``tokenize``/``mode`` keyword arguments, and they are
picklable (the schema, analyzers included, is pickled into the index), so they hold no
segmenter: jieba's words come from rjieba (index/analysis/segmenter.py), whose process-wide
dictionary gets the user words once, from :func:`setup_analysis`.

Positions: jieba's precise-mode words are numbered 0, 1, 2 …; when indexing, the dictionary
sub-words that search mode adds (产业 工人 inside 产业工人) take the position of the word that
covers them, so precise-mode query words in a row still line up with the text. Bigrams are
numbered in order; when indexing, each CJK run's first and last characters are added at the
positions of the run's first and last bigrams, so a one-character query finds them, and so
does a phrase that ends in one character before more text (6号 in …6号提出…). A line break advances the position
by one more than usual, so that a phrase never spans two lines (the document-level body field
is the passages joined by newlines). Stop words take no position.
"""
# The tokenizers live in the package itself: whoosh pickles them into every index as
# index.analysis.JiebaTokenizer / BigramTokenizer, so indexes built before still open.
from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from pathlib import Path
from typing import Iterator, NamedTuple

from whoosh.analysis import CompositeAnalyzer, Token, Tokenizer

from index.analysis import dictionary, segmenter
from index.types import IndexError_
from ingest.model import cjk_fold_table

# Bump when tokenization changes in a way that changes what is indexed.
ANALYZER_VERSION = "5"  # 5: jieba's words cut by rjieba (jieba-rs)

DEFAULT_USERDICT = Path(__file__).resolve().parent.parent / "data" / "userdict.txt"

# Function words dropped from the main text fields only (titles keep every word).
STOPWORDS = frozenset(
    "的 地 得 了 和 与 及 以及 等 是 在 对 把 被 将 之 其 或 为 于 而 并 也 都 又 即 该 "
    "这 那 啊 吗 呢 吧".split()
)

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A run of Han characters, or a run of other letters/digits (Latin, digits, kana …).
_RUN_RE = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<alnum>[^\\W_{_CJK}]+)")
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")


class _AnalysisState:
    """Which user dictionaries this process has loaded (set by setup_analysis)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded: list[tuple[Path, str]] = []  # (path, sha256 of its entries)
        self.entries: list[tuple[str, int, str | None]] = []  # every loaded entry, in order
        self.jieba = False  # jieba itself (its tagger) has its dictionary and the entries
        self.cache_dir: Path | None = None  # where jieba's dictionary cache is kept


_STATE = _AnalysisState()


def read_userdict(path: Path) -> list[tuple[str, int, str | None]]:
    """Parse a jieba user dictionary ("word freq tag", # comments allowed) into entries."""
    entries = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise IndexError_(f"无法读取词典 {path}：{e}") from e
    for lineno, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            raise IndexError_(f"{path}:{lineno}：应为“词 词频 词性”，实际是 {line!r}")
        if len(parts) > 1 and int(parts[1]) == 0:  # jieba's "never a word": rjieba has none
            raise IndexError_(f"{path}:{lineno}：词频应为正整数，实际是 {line!r}")
        freq = int(parts[1]) if len(parts) > 1 else 1
        entries.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return entries


def setup_analysis(userdict: Path | None = None, *, cache_dir: Path | None = None) -> None:
    """Add the domain dictionary's words to the segmenter once per process (idempotent).

    rjieba's dictionary is built here (0.1 s, before a server forks), unless the process
    asked for the word lookup (segmenter.use_word_lookup); jieba's own dictionary (for its
    part-of-speech tagger, :func:`ensure_jieba`) is cached in cache_dir.
    """
    path = (userdict or DEFAULT_USERDICT).resolve()
    with _STATE.lock:
        if cache_dir is not None:
            _STATE.cache_dir = cache_dir
        if any(p == path for p, _ in _STATE.loaded):
            return
        entries = read_userdict(path)
        segmenter.add_words(entries)
        if _STATE.jieba:
            dictionary.add_entries(entries)
        digest = hashlib.sha256(repr(entries).encode("utf-8")).hexdigest()
        _STATE.loaded.append((path, digest))
        _STATE.entries += entries
        _line_tokens.cache_clear()
        _subword_terms.cache_clear()


def ensure_jieba() -> None:
    """Load jieba's own dictionary with the user words (once), for jieba.posseg and jieba.analyse.

    Tokens come from the segmenter; only the part-of-speech tagger of related documents
    still needs jieba, so a process that never tags never loads it.
    """
    ensure_analysis()
    with _STATE.lock:
        if not _STATE.jieba:
            dictionary.load_full(_STATE.entries, _STATE.cache_dir)
            _STATE.jieba = True


def ensure_analysis() -> None:
    """Set up analysis with the bundled dictionary unless setup_analysis already ran."""
    if not _STATE.loaded:
        setup_analysis(None)


def analysis_fingerprint() -> str:
    """A short hash of analyzer version, rjieba version, stop list and loaded dictionaries."""
    ensure_analysis()
    h = hashlib.sha256()
    h.update(f"{ANALYZER_VERSION}|rjieba {segmenter.version()}|{sorted(STOPWORDS)}"
             .encode("utf-8"))
    for _, digest in sorted(_STATE.loaded, key=lambda item: item[1]):
        h.update(digest.encode("ascii"))
    return h.hexdigest()[:16]


class _NormTable(dict):
    """Per-character NFKC + lowercase, kept only where it maps one char to one char; radicals
    NFKC leaves alone (⺠ → 民) and astral compatibility ideographs folded too, so that a query
    typed with a look-alike finds the text ingest folded.

    Filled as text meets each character (issue 14): the whole Basic Multilingual Plane took
    0.06 s, a tenth of a `gongwen search`. A character that stays itself maps to itself
    (astral ones are left to str.translate, so the table holds at most the BMP).
    """

    def __missing__(self, cp: int) -> str:
        c = chr(cp)
        n = c
        if 0x20 <= cp < 0x10000 and not 0xD800 <= cp <= 0xDFFF:
            n = unicodedata.normalize("NFKC", c).lower()
            if len(n) != 1:
                n = c
        if n == c:
            folded = cjk_fold_table().get(cp)
            if folded is not None:
                n = folded.lower()
            elif cp >= 0x10000:
                raise LookupError(cp)  # str.translate keeps the character
        self[cp] = n
        return n


@functools.lru_cache(maxsize=1)
def _norm_table() -> dict[int, str]:
    """normalize_text's table, one per process."""
    return _NormTable()


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width) and lowercase, one char for one char so offsets hold."""
    return text.translate(_norm_table())


_DOC_NUMBER_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔",
                                      "】": "〕", "〖": "〔", "〗": "〕", "﹝": "〔", "﹞": "〕"})


def normalize_doc_number(value: str) -> str:
    """发文字号 in one form: 国办发[2019]3号, 国办发（２０１９）3号 → 国办发〔2019〕3号.

    The doc_number field's lookup key, total (a partial number typed in a filter too); not
    ingest's recognizer, which says whether text is a 发文字号 (see ARCHITECTURE.md).
    """
    text = unicodedata.normalize("NFKC", value)
    return "".join(text.translate(_DOC_NUMBER_BRACKETS).split())


class _Tok(NamedTuple):
    text: str
    pos: int  # ordinal within the line
    start: int  # offsets within the line
    end: int
    stop: bool


def _has_alnum(word: str) -> bool:
    return word.isalnum() or any(c.isalnum() for c in word)


@functools.lru_cache(maxsize=4096)
def _line_tokens(line: str, search: bool, stoplist: frozenset[str]) -> tuple[_Tok, ...]:
    """jieba's words of one normalized line; cached so a passage is cut once per batch.

    Precise-mode words get ordinal positions (stop words take none). In search mode the
    dictionary 2- and 3-grams inside a longer word are added at the position of that word,
    so a phrase cut in precise mode at query time still lines up with the indexed text.
    """
    out: list[_Tok] = []
    pos = -1
    for word, start, end in segmenter.tokenize(line):
        if not _has_alnum(word):
            continue
        if word in stoplist:
            out.append(_Tok(word, pos + 1, start, end, True))
            continue
        pos += 1
        if search and len(word) > 2:
            out += [_Tok(gram, pos, start + i, start + i + len(gram), False)
                    for i, gram in _subwords(word)]
        out.append(_Tok(word, pos, start, end, False))
    return tuple(out)


def _subwords(word: str) -> list[tuple[int, str]]:
    """(offset, word) of the dictionary 2- and 3-grams inside a word, as jieba's search mode."""
    is_word = segmenter.is_word
    return [(i, word[i:i + n]) for n in (2, 3) if len(word) > n
            for i in range(len(word) - n + 1) if is_word(word[i:i + n])]


def run_class(char: str) -> int:
    """Which run of _RUN_RE a character belongs in: 0 none, 1 Han, 2 other letters or digits
    (the pattern's classes are per character, so the bulk writer classifies characters alone)."""
    m = _RUN_RE.fullmatch(char)
    return 0 if m is None else 1 if m.lastgroup == "cjk" else 2


def has_runs(text: str) -> bool:
    """True if the bigram tokenizer finds any token in the (normalized) text."""
    return _RUN_RE.search(text) is not None


def _bigram_line_tokens(line: str, index_mode: bool) -> Iterator[_Tok]:
    """Overlapping CJK bigrams (a lone CJK char as a unigram), other alnum runs whole.

    When indexing, the first and the last character of a CJK run are also indexed alone, at
    the position of the run's first and last bigram: a one-character query finds them as
    terms (and every other occurrence as the first half of a bigram), and a phrase whose
    end is one character (6号, 第12期) finds it before or after other characters
    (…6号提出…) without breaking phrase positions.
    """
    pos = 0
    for m in _RUN_RE.finditer(line):
        s, e = m.span()
        if m.lastgroup == "cjk" and e - s > 1:
            if index_mode:
                yield _Tok(line[s], pos, s, s + 1, False)
            for i in range(s, e - 1):
                yield _Tok(line[i:i + 2], pos, i, i + 2, False)
                pos += 1
            if index_mode:
                yield _Tok(line[e - 1], pos - 1, e - 1, e, False)
        else:
            yield _Tok(line[s:e], pos, s, e, False)
            pos += 1


class _LineTokenizer(Tokenizer):
    """Shared driver: normalize, split into lines, and yield one reused whoosh Token."""

    def _tokens(self, line: str, index_mode: bool) -> Iterator[_Tok]:
        raise NotImplementedError

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        ensure_analysis()
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize_text(value)
        if not tokenize:
            t.original = t.text = norm
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        base, offset = start_pos, 0
        for line in norm.split("\n"):
            last = -1
            for tok in self._tokens(line, mode == "index"):
                last = max(last, tok.pos)
                if tok.stop and removestops:
                    continue
                t.text, t.boost, t.stopped = tok.text, 1.0, tok.stop
                if keeporiginal:
                    t.original = value[offset + tok.start:offset + tok.end]
                if positions:
                    t.pos = base + tok.pos
                if chars:
                    t.startchar = start_char + offset + tok.start
                    t.endchar = start_char + offset + tok.end
                yield t
            base += last + 2  # one spare position between lines
            offset += len(line) + 1


class JiebaTokenizer(_LineTokenizer):
    """jieba words: search-mode sub-words when indexing, precise mode for queries."""

    def __init__(self, stoplist: frozenset[str] = STOPWORDS) -> None:
        self.stoplist = frozenset(stoplist)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JiebaTokenizer) and other.stoplist == self.stoplist

    def _tokens(self, line: str, index_mode: bool) -> Iterator[_Tok]:
        return iter(_line_tokens(line, index_mode, self.stoplist))

    def word_terms(self, word: str) -> tuple[int, tuple[str, ...]]:
        """What one of jieba's words gives when indexing, as _line_tokens(line, True, stoplist):
        (0, ()) for a word without letters or digits (left out), (1, ()) for a stop word (no
        position, but a line ending in one ends a position further on), else (2, its dictionary
        sub-words and then itself, all at its position)."""
        if not word.isalnum() and not _has_alnum(word):
            return 0, ()
        if word in self.stoplist:
            return 1, ()
        return 2, (_subword_terms(word) if len(word) > 2 else ()) + (word,)


@functools.lru_cache(maxsize=1 << 16)
def _subword_terms(word: str) -> tuple[str, ...]:
    """The words of _subwords(word), cached (a build meets each long word many times)."""
    return tuple(gram for _, gram in _subwords(word))


class BigramTokenizer(_LineTokenizer):
    """Character bigrams for CJK runs (plus each run's first and last character when indexing)."""

    def _tokens(self, line: str, index_mode: bool) -> Iterator[_Tok]:
        return _bigram_line_tokens(line, index_mode)


def jieba_analyzer(stoplist: frozenset[str] = STOPWORDS) -> CompositeAnalyzer:
    """The word analyzer of the main text fields (pass frozenset() to keep every word)."""
    return CompositeAnalyzer(JiebaTokenizer(stoplist))


def bigram_analyzer() -> CompositeAnalyzer:
    """The character-bigram analyzer that backs every word and phrase query."""
    return CompositeAnalyzer(BigramTokenizer())


def token_spans(analyzer: object, text: str) -> list[tuple[str, int, int, int]]:
    """(token, position, start, end) of text as the analyzer indexes it, without Token objects.

    The same tokens, positions and offsets as ``analyzer(text, positions=True, chars=True,
    mode="index")``; a fast path for our own tokenizers (highlighting long passages).
    """
    items = getattr(analyzer, "items", None)
    tok = items[0] if items and len(items) == 1 else None
    if not isinstance(tok, _LineTokenizer):
        return [(t.text, t.pos, t.startchar, t.endchar)
                for t in analyzer(text, positions=True, chars=True, mode="index")]
    ensure_analysis()
    out = []
    base = offset = 0
    for line in normalize_text(text).split("\n"):
        last = -1
        for t in tok._tokens(line, True):
            last = max(last, t.pos)
            if not t.stop:
                out.append((t.text, base + t.pos, offset + t.start, offset + t.end))
        base += last + 2
        offset += len(line) + 1
    return out


def is_cjk_char(c: str) -> bool:
    """True for a single Han character (or 〇)."""
    return _CJK_CHAR_RE.fullmatch(c) is not None
