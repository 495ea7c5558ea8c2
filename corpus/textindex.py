"""What goes into the full-text index and what a query term becomes, on both
sides through the same normalizers: jieba tokens (normalizers.terms) and the
folding key (normalizers.text.fold_key), so 电话礼貌测试, 電話禮貌測試 and 台/臺
forms meet in the same folded space.

Two columns per measure:

* ``tokens`` — the folded search tokens of normalizers.terms.search_tokens
  (jieba search mode with the domain dictionary, plus single characters);
* ``chars`` — the folded text as one token per CJK character or ASCII word,
  in order, so a phrase is an exact substring match whatever jieba made of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalizers.text import fold_key

# A run of ASCII letters and digits, or one other word character. unicode61
# drops punctuation and symbols; keeping them out of needles and token lists
# keeps the query side identical to what the index holds.
_CHAR_TOKENS = re.compile(r"[a-z0-9]+|[^\Wa-z0-9]")
_WORDLIKE = re.compile(r"\w", re.UNICODE)


def _terms():
    """normalizers.terms, imported late: loading jieba takes a second that
    opening, listing and exporting the corpus do not need."""
    from normalizers import terms

    return terms


def char_tokens(text: str) -> list[str]:
    """The folded text as one token per CJK character or ASCII word.

    >>> char_tokens("電話禮貌 ODF格式")
    ['电', '话', '礼', '貌', 'odf', '格', '式']
    """
    out: list[str] = []
    for piece in text.split():
        out.extend(_CHAR_TOKENS.findall(fold_key(piece)))
    return out


def index_columns(text: str) -> tuple[str, str]:
    """The (tokens, chars) column values of one measure text."""
    # search_tokens are folded already: folded once, as a query term is.
    tokens = [t for t in _terms().search_tokens(text) if _WORDLIKE.search(t)]
    return " ".join(tokens), " ".join(char_tokens(text))


@dataclass(frozen=True)
class TermTokens:
    """A query term as the index sees it."""

    words: tuple[str, ...]  # folded jieba tokens, all required
    chars: tuple[str, ...]  # folded characters of the whole term, as a phrase
    whole: str  # the folded term, for highlighting


def _finest_pieces(term: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The finest cut of the term: jieba's search mode emits a long word and also
    its parts; requiring the long word would miss a text where the same
    characters were cut differently, so a token whose span holds shorter tokens
    is replaced by those tokens, and by single characters where they leave gaps
    (电话互测 → 电话, 互, 测)."""
    pieces: list[tuple[str, int, int]] = []
    for token, start, end in spans:
        inner = [(s, e) for _, s, e in spans if start <= s and e <= end and (s, e) != (start, end)]
        if not inner:
            pieces.append((token, start, end))
            continue
        covered = {i for s, e in inner for i in range(s, e)}
        pieces.extend((term[i], i, i + 1) for i in range(start, end) if i not in covered)
    unique = {(s, e): (t, s, e) for t, s, e in pieces}
    return sorted(unique.values(), key=lambda piece: (piece[1], piece[2]))


@lru_cache(maxsize=4096)
def term_tokens(term: str) -> TermTokens:
    """Query-side tokens of one term (a word or a phrase as typed)."""
    spans = [(tok, s, e) for tok, s, e in _terms().segment(term) if tok.strip()]
    words: list[str] = []
    for token, _, _ in _finest_pieces(term, spans):
        folded = fold_key(token)
        if _WORDLIKE.search(folded) and folded not in words:
            words.append(folded)
    chars = tuple(char_tokens(term))
    return TermTokens(words=tuple(words), chars=chars, whole=fold_key(term))


def expansions(term: str) -> list[str]:
    """The term and its synonyms from the domain dictionary: the term first, the
    rest in folded order, one per folding key (simplified and Traditional
    spellings of a synonym are the same search)."""
    return list(_expansions(term))


@lru_cache(maxsize=4096)
def _expansions(term: str) -> tuple[str, ...]:
    # Cached: every search expands its words again, and folding each synonym
    # (OpenCC) costs more than the lookup.
    expand = getattr(_terms(), "expand", None)
    others = expand(term) if expand is not None else ()
    out = {fold_key(term): term}
    for other in sorted((str(o) for o in others or ()), key=fold_key):
        if other.strip():
            out.setdefault(fold_key(other), other)
    return tuple(out.values())
