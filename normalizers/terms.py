"""Words: jieba segmentation for search, and the domain's synonym groups.

jieba's dictionary is Simplified and segments Simplified text far better than
Traditional, so text is converted (tw2s, one character for one) for cutting
and the offsets land on the original text unchanged. Domain terms from
data/jieba_userdict.txt are never split (電話禮貌測試 stays one word), and
data/synonyms.yaml says which words mean the same (網頁/網站).

jieba and OpenCC are set up on first use and kept for the process, and so
are the cuts of the runs of text jieba has cut (plans repeat them). jieba's
dictionary (its own words and ours, 500,000 entries) is prepared once into a
SQLite file in the cache folder and read word by word as segmentation asks
for it, and remembered. A search segments a few words and must not wait the
second it takes to load the whole dictionary. Indexing does not gain from it
either: on the 5,179 measures of the sample renderings, loading it whole cost
0.4 s and cutting was no faster after, since a remembered word costs a dict
lookup either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from models.datacache import remove_stale_versions
from models.datafile import validated
from normalizers import DATA_DIR
from normalizers.patterns import lazy
from normalizers.text import _HAN, _converter, fold_key, to_halfwidth

if TYPE_CHECKING:
    import jieba

    from normalizers.schemas import UserWord

USERDICT = DATA_DIR / "jieba_userdict.txt"
SYNONYMS = DATA_DIR / "synonyms.yaml"

_HAN_CHAR = lazy(f"[{_HAN}]")
_WORDLIKE = lazy(rf"[\w{_HAN}]")


def read_userdict(path: Path = USERDICT) -> list[UserWord]:
    """The domain terms, validated; errors name the file and line."""
    from pydantic import ValidationError

    from models.datafile import DataError
    from normalizers.schemas import UserWord

    words = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        fields = dict(zip(("word", "freq", "tag"), parts))
        if len(parts) > 3:
            raise DataError(path, number, parts[3], "expected: word [frequency] [tag]")
        try:
            words.append(UserWord.model_validate(fields))
        except ValidationError as error:
            first = error.errors()[0]
            raise DataError(path, number, ".".join(map(str, first["loc"])), first["msg"]) from None
    return words


def _simplified(text: str) -> str:
    """tw2s of text with the same length, so offsets carry over; width folded
    so that full-width Latin cuts like ASCII."""
    text = to_halfwidth(text)
    converted = _converter("tw2s").convert(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert char by char
        converted = "".join(_converter("tw2s").convert(ch) for ch in text)
    return converted


def _import_jieba():
    """jieba, imported without pkg_resources: jieba 0.42 imports it only to
    find its own data files (a third of a second at every start) and falls back
    to the path beside its module when the import fails."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


def cache_dir() -> Path:
    """Where the prepared dictionary is kept: $XDG_CACHE_HOME/plancheck/jieba
    (else ~/.cache/plancheck/jieba)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck" / "jieba"


def _dictionary_key(jieba_module) -> str:
    """Changes when jieba's dictionary or ours does, so a stale file is never read."""
    main = Path(jieba_module.__file__).with_name("dict.txt")
    digest = hashlib.sha256(f"{jieba_module.__version__};{main.stat().st_size};{main.stat().st_mtime_ns}".encode())
    digest.update(USERDICT.read_bytes())
    digest.update(b"tw2s")  # our words are stored as cut: converted to Simplified
    return digest.hexdigest()[:16]


def prepared_dictionary() -> Path:
    """The prepared dictionary file, built now if it is missing (written to a
    temporary file and renamed, so parallel first runs never read half a file)."""
    jieba_module = _import_jieba()
    path = cache_dir() / f"dictionary-{_dictionary_key(jieba_module)}.sqlite"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_dictionary(jieba_module, path)
        # Each edit of the word list leaves a 9 MB file behind otherwise.
        with contextlib.suppress(OSError):
            remove_stale_versions(path)
    return path


def _write_dictionary(jieba_module, path: Path) -> None:
    tokenizer = jieba_module.Tokenizer()
    tokenizer.tmp_dir = str(path.parent)  # jieba's own model cache beside ours, not in /tmp
    tokenizer.initialize()
    for entry in read_userdict():
        tokenizer.add_word(_simplified(entry.word), freq=entry.freq, tag=entry.tag)
    handle, temporary = tempfile.mkstemp(prefix=".dictionary-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as conn:
            conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            conn.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
            conn.executemany("INSERT INTO words VALUES (?, ?)", tokenizer.FREQ.items())
            conn.execute("INSERT INTO meta VALUES (?)", (tokenizer.total,))
        conn.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class WordFrequencies(Mapping):
    """jieba's word → frequency table, read from the prepared file word by
    word and remembered (prefixes of longer words are in it with 0, as jieba
    builds them). jieba only tests membership and reads values."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._opened_by = os.getpid()
        self._conn = self._open()
        self._known: dict[str, int | None] = {}
        self.lookups = 0  # reads from the file, for the tests

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)

    def _query(self, sql: str, *args) -> sqlite3.Cursor:
        # SQLite connections must not cross a fork: a forked worker opens its own.
        if os.getpid() != self._opened_by:
            self._conn, self._opened_by = self._open(), os.getpid()
        return self._conn.execute(sql, *args)

    def total(self) -> int:
        return self._query("SELECT total FROM meta").fetchone()[0]

    def _freq(self, word: str) -> int | None:
        if word in self._known:
            return self._known[word]
        self.lookups += 1
        row = self._query("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        self._known[word] = freq = row[0] if row else None
        return freq

    def __getitem__(self, word: str) -> int:
        freq = self._freq(word)
        if freq is None:
            raise KeyError(word)
        return freq

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._freq(word) is not None

    def get(self, word, default=None):
        freq = self._freq(word) if isinstance(word, str) else None
        return default if freq is None else freq

    def __iter__(self) -> Iterator[str]:
        return (word for (word,) in self._query("SELECT word FROM words"))

    def __len__(self) -> int:
        return self._query("SELECT count(*) FROM words").fetchone()[0]


@lru_cache(maxsize=None)
def _tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer on the prepared dictionary: the same words and
    frequencies as jieba's dictionary with ours added, read lazily."""
    tokenizer = _import_jieba().Tokenizer()
    frequencies = WordFrequencies(prepared_dictionary())
    tokenizer.FREQ, tokenizer.total = frequencies, frequencies.total()
    tokenizer.initialized = True
    return tokenizer


def _runs(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, run as written, run as cut) of each block jieba cuts on its
    own: the runs of its Han class (Han, ASCII letters, digits, +#&._%-) and
    what lies between them, split by jieba's own pattern as its ``cut`` splits
    them, in the text converted for cutting."""
    offset = 0
    for run in _import_jieba().re_han_default.split(_simplified(text)):
        if run:
            yield offset, text[offset:offset + len(run)], run
            offset += len(run)


# Plans repeat phrases (the same clause across years, agencies and boilerplate),
# and a run's tokens depend on nothing but the run: jieba's ``cut`` splits a text
# into these blocks and cuts each on its own, and search mode adds the dictionary
# parts of each word, so the tokens of a text are its runs' tokens shifted by
# where each run starts. On the 63 files of benchmarks/index_bench.py, 94 % of
# the runs were cut before (1,667 distinct of 26,694); in the 422 measures of
# tests/realworld's documents, 12 %. Remembered per run (at most 8,192, about 8 MB for both
# caches) and keyed by the tokenizer too, so a new one (another dictionary)
# never reads the old cuts.
@lru_cache(maxsize=1 << 13)
def _run_spans(tokenizer: jieba.Tokenizer, run: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of jieba's search-mode tokens of one run, into the run."""
    return tuple((start, end) for _, start, end in tokenizer.tokenize(run, mode="search"))


def segment(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode tokens as (token as written, start, end) into text:
    whole words and, for long words, their dictionary parts.

    >>> [t for t, _, _ in segment("實施電話禮貌測試")][-1]
    '電話禮貌測試'
    """
    tokenizer = _tokenizer()
    return [(text[offset + start:offset + end], offset + start, offset + end)
            for offset, _, run in _runs(text) for start, end in _run_spans(tokenizer, run)]


# fold_key of a word or a character: a corpus repeats the same few thousand,
# and folding them one by one was a third of indexing.
fold_token = lru_cache(maxsize=1 << 16)(fold_key)


@lru_cache(maxsize=1 << 13)
def _run_search_tokens(tokenizer: jieba.Tokenizer, written: str, run: str) -> tuple[str, ...]:
    """search_tokens of one run (as written, as cut): no token and no
    character crosses a run, so a text's tokens in order are its runs' in turn."""
    positioned: list[tuple[int, int, str]] = []
    for start, end in _run_spans(tokenizer, run):
        token = written[start:end]
        if end - start == 1 and _HAN_CHAR.fullmatch(token):
            continue  # every Han character is added below
        key = fold_token(token)
        if _WORDLIKE.search(key):
            positioned.append((start, -(end - start), key))
    positioned.extend((match.start(), 0, fold_token(match.group())) for match in _HAN_CHAR.finditer(written))
    return tuple(key for _, _, key in sorted(positioned))


def search_tokens(text: str) -> list[str]:
    """Folded tokens for a full-text index, in text order: every word jieba
    finds plus every single Han character, so one- and two-character queries
    find text jieba cut differently."""
    tokenizer = _tokenizer()
    return [key for _, written, run in _runs(text) for key in _run_search_tokens(tokenizer, written, run)]


@lru_cache(maxsize=None)
def _synonym_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in validated(SYNONYMS, "normalizers.schemas:Synonyms")["groups"]:
        for term in group:
            index.setdefault(fold_key(term), set()).update(group)
    return {key: frozenset(members) for key, members in index.items()}


def expand(term: str) -> set[str]:
    """The term and every word of the synonym groups it belongs to.

    >>> sorted(expand("網頁"))[:3]
    ['全球資訊網', '官網', '網站']
    """
    return {term, *_synonym_index().get(fold_key(term), ())}
