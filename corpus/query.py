"""The search language, parsed here and compiled to a safe FTS5 expression.

Users type::

    電話禮貌測試                 words (every jieba word of the term, or the exact characters)
    "電話禮貌測試"  「禮貌測試」     a phrase: the exact characters, in order
    禮貌*                        a prefix: a word starting with 禮貌
    電話 禮貌   電話 AND 禮貌      both
    電話 OR 櫃檯                 either
    電話 NOT 互測   電話 -互測     the first without the second
    (電話 OR 網路) 禮貌            grouping

The FTS5 text is never built from user text except as double-quoted strings of
folded tokens, so no input can reach SQLite's query syntax; anything the parser
cannot read becomes a QueryError with a message in Traditional Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.store import CorpusError


class QueryError(CorpusError):
    """A query the parser cannot read; the message says what to fix."""


class QueryLimitError(QueryError):
    """A query or search option beyond the bounds that keep a search cheap."""


# Bounds on what one search may cost: the text's length, how deep parentheses
# nest (the parser recurses once per level) and how many words and phrases it
# holds (each becomes a jieba cut, its synonyms and an FTS5 sub-expression).
MAX_QUERY_CHARS = 200
MAX_DEPTH = 8
MAX_TERMS = 24


# --- syntax tree -------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class All:
    """Every one of ``items`` and none of ``excluded``."""

    items: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Any:
    items: tuple[Node, ...]


Node = Word | Phrase | All | Any


# --- lexer -------------------------------------------------------------------------

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "＂": "＂"}
_OPEN = {"(", "（"}
_CLOSE = {")", "）"}
_SPACE = set(" \t\r\n\u3000")
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Token:
    kind: str  # word, phrase, open, close, and, or, not
    text: str = ""


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens.

    >>> [t.kind for t in tokenize('(電話 OR 網路) -互測 「禮貌」')]
    ['open', 'word', 'or', 'word', 'close', 'not', 'word', 'phrase']
    """
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch in _SPACE:
            i += 1
        elif ch in _QUOTES:
            close = query.find(_QUOTES[ch], i + 1)
            if close < 0:
                raise QueryError(f"引號未閉合：{query[i:]}（請補上 {_QUOTES[ch]}）")
            tokens.append(Token("phrase", query[i + 1 : close]))
            i = close + 1
        elif ch in _OPEN:
            tokens.append(Token("open"))
            i += 1
        elif ch in _CLOSE:
            tokens.append(Token("close"))
            i += 1
        elif ch in "-－" and i + 1 < n and query[i + 1] not in _SPACE and (i == 0 or query[i - 1] in _SPACE or query[i - 1] in _OPEN):
            tokens.append(Token("not"))
            i += 1
        else:
            start = i
            while i < n and query[i] not in _SPACE and query[i] not in _QUOTES and query[i] not in _OPEN and query[i] not in _CLOSE:
                i += 1
            word = query[start:i]
            tokens.append(Token(word.lower(), word) if word in _OPERATORS else Token("word", word))
    return tokens


# --- parser ------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.any()
        if self.peek() is not None:
            raise QueryError("多了一個右括號「)」")
        return node

    def any(self) -> Node:
        items = [self.all()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if (nxt := self.peek()) is None or nxt.kind in ("close", "or", "and"):
                raise QueryError("OR 後面缺少要找的詞，例如：電話 OR 網路")
            items.append(self.all())
        return items[0] if len(items) == 1 else Any(tuple(items))

    def all(self) -> Node:
        items: list[Node] = []
        excluded: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("close", "or"):
            if token.kind == "and":
                self.take()
                if not items and not excluded:
                    raise QueryError("AND 前面缺少要找的詞，例如：電話 AND 禮貌")
                if (nxt := self.peek()) is None or nxt.kind in ("close", "or", "and"):
                    raise QueryError("AND 後面缺少要找的詞，例如：電話 AND 禮貌")
                continue
            if token.kind == "not":
                self.take()
                if (nxt := self.peek()) is None or nxt.kind in ("close", "or", "and", "not"):
                    raise QueryError("NOT（或 -）後面缺少要排除的詞，例如：電話 NOT 互測")
                excluded.append(self.primary())
                continue
            items.append(self.primary())
        if not items and not excluded:
            token = self.peek()
            if token is not None and token.kind == "or":
                raise QueryError("OR 前面缺少要找的詞，例如：電話 OR 網路")
            raise QueryError("括號內沒有要找的詞" if token is not None else "查詢是空的")
        if not items:
            raise QueryError("只有排除的詞：NOT 要搭配至少一個要找的詞，例如：電話 NOT 互測")
        if len(items) == 1 and not excluded:
            return items[0]
        return All(tuple(items), tuple(excluded))

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "open":
            if (nxt := self.peek()) is None:
                raise QueryError("括號未閉合：請補上「)」")
            if nxt.kind == "close":
                raise QueryError("括號內沒有要找的詞")
            node = self.any()
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise QueryError("括號未閉合：請補上「)」")
            self.take()
            return node
        if token.kind == "phrase":
            if not token.text.strip():
                raise QueryError("引號內沒有文字")
            return Phrase(token.text.strip())
        if token.kind == "word":
            text = token.text
            prefix = text.endswith(("*", "＊"))
            stem = text.rstrip("*＊")
            if "*" in stem or "＊" in stem:
                raise QueryError(f"「*」只能放在詞尾表示字首查詢：{text}")
            if not stem:
                raise QueryError("「*」前面缺少字詞，例如：禮貌*")
            return Word(stem, prefix)
        raise QueryError(f"無法理解的查詢：{token.text or token.kind}")  # pragma: no cover - guarded by callers


def check_bounds(tokens: list[Token]) -> None:
    """QueryLimitError when the tokens nest too deep or hold too many terms."""
    depth = deepest = 0
    for token in tokens:
        depth += {"open": 1, "close": -1}.get(token.kind, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise QueryLimitError(f"括號最多只能套 {MAX_DEPTH} 層（這個查詢有 {deepest} 層）")
    terms = sum(1 for token in tokens if token.kind in ("word", "phrase"))
    if terms > MAX_TERMS:
        raise QueryLimitError(f"查詢最多 {MAX_TERMS} 個詞或詞組（這個查詢有 {terms} 個）；請留下最重要的詞")


def parse(query: str) -> Node:
    """The syntax tree of a query; QueryError when it cannot be read,
    QueryLimitError when it is longer, deeper or has more terms than allowed
    (checked before any term is cut or looked up).

    >>> parse('電話 NOT 互測')
    All(items=(Word(text='電話', prefix=False),), excluded=(Word(text='互測', prefix=False),))
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryLimitError(f"查詢最多 {MAX_QUERY_CHARS} 個字（這個查詢有 {len(query):,} 個字）")
    tokens = tokenize(query)
    if not tokens:
        raise QueryError("查詢是空的")
    check_bounds(tokens)
    return _Parser(tokens).parse()


# --- compiler ----------------------------------------------------------------------


@dataclass
class Compiled:
    """A query ready for FTS5, and the folded strings to highlight in results."""

    fts: str
    needles: list[str] = field(default_factory=list)
    tree: Node | None = None  # what was compiled, for an engine that compiles it its own way


def quote(token: str) -> str:
    """A token as an FTS5 string: always double-quoted, quotes doubled.

    >>> quote('a"b')
    '"a""b"'
    """
    return '"' + token.replace('"', '""') + '"'


def _word_expr(text: str, prefix: bool, tokens_of, expand, needles: list[str]) -> str | None:
    alternatives: list[str] = []
    for number, variant in enumerate(expand(text) if not prefix else [text]):
        tt = tokens_of(variant)
        parts: list[str] = []
        # Words only when jieba found at least one real word: a term it could only
        # cut into single characters (台電) would otherwise match any text holding
        # those characters anywhere; its exact characters still match below.
        if tt.words and (prefix or any(len(w) >= 2 for w in tt.words)):
            words = [quote(w) for w in tt.words]
            if prefix:
                words[-1] += "*"
            parts.append("tokens : (" + " AND ".join(words) + ")")
        if tt.chars and not prefix:
            parts.append("chars : " + quote(" ".join(tt.chars)))
        if not parts:
            continue
        alternatives.append(" OR ".join(f"({p})" for p in parts))
        if tt.whole:
            needles.append(tt.whole)
        if number == 0:
            # The words of what the user typed; synonyms are highlighted whole only.
            needles.extend(w for w in tt.words if len(w) >= 2)
    if not alternatives:
        return None
    return "(" + " OR ".join(alternatives) + ")"


def _phrase_expr(text: str, tokens_of, needles: list[str]) -> str | None:
    tt = tokens_of(text)
    if not tt.chars:
        return None
    needles.append(tt.whole)
    return "(chars : " + quote(" ".join(tt.chars)) + ")"


def compile_query(node: Node, tokens_of, expand=lambda term: [term]) -> Compiled:
    """The FTS5 expression of a syntax tree. ``tokens_of(term)`` gives the term's
    TermTokens (corpus.textindex.term_tokens); ``expand(term)`` its synonyms."""
    needles: list[str] = []

    def emit(n: Node, negated: bool = False) -> str | None:
        if isinstance(n, Word):
            return _word_expr(n.text, n.prefix, tokens_of, expand, needles if not negated else [])
        if isinstance(n, Phrase):
            return _phrase_expr(n.text, tokens_of, needles if not negated else [])
        # A term repeated adds nothing to the match: each distinct one goes in once.
        if isinstance(n, Any):
            parts = list(dict.fromkeys(p for p in (emit(i, negated) for i in n.items) if p))
            return "(" + " OR ".join(parts) + ")" if parts else None
        positive = list(dict.fromkeys(p for p in (emit(i, negated) for i in n.items) if p))
        if not positive:
            return None
        expr = "(" + " AND ".join(positive) + ")"
        for excluded in n.excluded:
            part = emit(excluded, True)
            if part:
                expr = f"({expr} NOT {part})"
        return expr

    fts = emit(node)
    if not fts:
        raise QueryError("查詢沒有可搜尋的字詞（只有標點或符號）")
    unique = list(dict.fromkeys(n for n in needles if n))
    return Compiled(fts=fts, needles=unique, tree=node)
