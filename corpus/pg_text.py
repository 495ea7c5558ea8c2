"""The PostgreSQL full-text index: the same two columns as SQLite's FTS5 table
(corpus/textindex.py) as one ``tsvector``, and the compiled FTS5 expression
(corpus/query.py) as a ``tsquery``, so both back-ends match exactly the same
measures.

* ``tokens`` lexemes carry weight A, ``chars`` lexemes weight B and a mark
  (``CHAR_MARK``) so that a phrase over characters never meets a word (the
  mark is what the tsquery relies on; it names no weight);
* each column is cut as FTS5's unicode61 tokenizer cuts it (runs of letters
  and digits), and the positions are kept, so a phrase is ``<->`` over them;
* ranking is FTS5's BM25, recomputed over the phrases of the expression
  (``phrases``; the formula is ``corpus.pg_search.Ranking``).

Lexemes are written as ``tsvector`` / ``tsquery`` literals rather than parsed
by a text search configuration: they are jieba's words already folded, so the
``simple`` configuration's only work (lower-casing) is done, and PostgreSQL's
word parser, which would cut 1.5 or e-mail addresses its own way, never runs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus.query import QueryError

CHAR_MARK = "|"
RANK_COLUMN_WEIGHTS = (1.0, 0.6)  # BM25: tokens, chars (corpus.search.BM25_WEIGHTS)
MAX_POSITION = 16383  # tsvector positions stop here

# What unicode61 keeps as a token: letters and digits (and private-use characters).
_PIECES = re.compile(r"[^\W_]+")


def pieces(text: str) -> list[str]:
    """The tokens FTS5's unicode61 tokenizer makes of a column value.

    >>> pieces("电话 1.5 odf_x")
    ['电话', '1', '5', 'odf', 'x']
    """
    return _PIECES.findall(text.lower())


def _literal(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def index_length(tokens: str, chars: str) -> int:
    """Tokens in both columns: FTS5's size of the row, BM25's document length."""
    return len(pieces(tokens)) + len(pieces(chars))


def tsvector_text(tokens: str, chars: str) -> str:
    """The ``tsvector`` literal of one measure's (tokens, chars) columns."""
    positions: dict[str, list[str]] = {}
    for weight, mark, column in (("A", "", tokens), ("B", CHAR_MARK, chars)):
        for number, piece in enumerate(pieces(column), 1):
            positions.setdefault(mark + piece, []).append(f"{min(number, MAX_POSITION)}{weight}")
    return " ".join(f"{_literal(lexeme)}:{','.join(spots)}" for lexeme, spots in positions.items())


# --- the compiled FTS5 expression as a tsquery ------------------------------------------

_FTS_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"]|"")*")(?P<star>\*)?|(?P<column>tokens|chars)\s*:|(?P<op>AND|OR|NOT)\b|(?P<paren>[()]))')


def _string(body: str, column: str, prefix: bool) -> str:
    """One quoted FTS5 string in a column: one token, or a phrase of several."""
    words = pieces(body[1:-1].replace('""', '"'))
    if not words:
        raise QueryError("查詢沒有可搜尋的字詞（只有標點或符號）")
    # The mark alone keeps the columns apart (no token begins with it), so the
    # tsquery carries no weight: a weight needs positions, which the GIN index
    # lacks, and would make PostgreSQL recheck every candidate row's tsvector.
    mark = "" if column == "tokens" else CHAR_MARK
    lexemes = [_literal(mark + w) for w in words]
    if prefix:
        lexemes[-1] += ":*"
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


@dataclass(frozen=True)
class Phrase:
    """One quoted string of the FTS5 expression, as BM25 counts it."""

    lexemes: tuple[str, ...]
    prefix: bool
    weight: float

    def tsquery(self) -> str:
        words = [_literal(lexeme) for lexeme in self.lexemes]
        if self.prefix:
            words[-1] += ":*"
        return " <-> ".join(words)


def phrases(fts: str) -> list[Phrase]:
    """Every quoted string of the expression in order, repeats and NOT's too
    (FTS5's bm25 iterates them all).

    >>> [p.lexemes for p in phrases('(tokens : ("电话" AND "礼"*)) OR (chars : "电 话")')]
    [('电话',), ('礼',), ('|电', '|话')]
    """
    out: list[Phrase] = []
    column = None
    for match in _FTS_TOKEN.finditer(fts):
        if match["column"]:
            column = match["column"]
        elif match["string"] and column:
            mark, weight = ("", RANK_COLUMN_WEIGHTS[0]) if column == "tokens" else (CHAR_MARK, RANK_COLUMN_WEIGHTS[1])
            words = pieces(match["string"][1:-1].replace('""', '"'))
            if words:
                out.append(Phrase(tuple(mark + w for w in words), bool(match["star"]), weight))
    return out


# The expression as a tree over the phrases' numbers (in order of appearance):
# ("phrase", n), ("and", [..]), ("or", [..]), ("not", left, right).
Tree = tuple


def expression_tree(fts: str) -> Tree:
    """The tree of a compiled FTS5 expression: NOT binds tighter than AND,
    AND tighter than OR, as in FTS5.

    >>> expression_tree('((tokens : ("a" AND "b")) OR (chars : "a b")) NOT (chars : "c")')
    ('not', ('or', [('and', [('phrase', 0), ('phrase', 1)]), ('phrase', 2)]), ('phrase', 3))
    """
    tokens = [m for m in _FTS_TOKEN.finditer(fts) if not m["column"]]
    position = 0
    numbered = 0

    def peek(kind: str) -> bool:
        return position < len(tokens) and (tokens[position]["op"] == kind or tokens[position]["paren"] == kind)

    def primary() -> Tree:
        nonlocal position, numbered
        token = tokens[position]
        position += 1
        if token["paren"] == "(":
            node = any_of()
            position += 1  # the closing parenthesis
            return node
        numbered += 1
        return ("phrase", numbered - 1)

    def negated() -> Tree:
        nonlocal position
        node = primary()
        while peek("NOT"):
            position += 1
            node = ("not", node, primary())
        return node

    def every() -> Tree:
        nonlocal position
        items = [negated()]
        while peek("AND"):
            position += 1
            items.append(negated())
        return items[0] if len(items) == 1 else ("and", items)

    def any_of() -> Tree:
        nonlocal position
        items = [every()]
        while peek("OR"):
            position += 1
            items.append(every())
        return items[0] if len(items) == 1 else ("or", items)

    return any_of()


def phrase_counter(tree: Tree) -> Callable[[Callable[[int], int]], set[int] | None]:
    """A function of ``present(n)``, the instance count of phrase n in a row
    (asked only for the phrases it needs), giving the phrases whose instances
    FTS5's bm25 counts there: those of the sub-expressions the row satisfies
    (an AND that fails, or a NOT's right side, counts nothing); None when the
    row does not satisfy ``tree``. Built once per query, since it runs for
    every scored row.

    >>> count = phrase_counter(expression_tree('((tokens : ("a" AND "b")) OR (chars : "a b")) NOT (chars : "c")'))
    >>> count({0: 1, 1: 2, 2: 0, 3: 0}.get), count({0: 1, 1: 0, 2: 1, 3: 0}.get), count({0: 1, 1: 1, 2: 1, 3: 1}.get)
    ({0, 1}, {2}, None)
    """
    kind = tree[0]
    if kind == "phrase":
        number = tree[1]
        return lambda present: {number} if present(number) else None
    if kind == "not":
        left, right = phrase_counter(tree[1]), phrase_counter(tree[2])

        def negation(present):
            found = left(present)
            return found if found is not None and right(present) is None else None

        return negation
    children = [phrase_counter(child) for child in tree[1]]
    if kind == "and":
        def every(present):
            out: set[int] = set()
            for child in children:
                part = child(present)
                if part is None:
                    return None
                out |= part
            return out

        return every

    def any_of(present):
        out = None
        for child in children:
            part = child(present)
            if part is not None:
                out = part if out is None else out | part
        return out

    return any_of


def tsquery_text(fts: str) -> str:
    """The ``tsquery`` of an expression ``corpus.query.compile_query`` made: the
    same tree of AND / OR / NOT over column-scoped quoted strings.

    >>> tsquery_text('((tokens : ("电话" AND "礼"*)) OR (chars : "电 话")) NOT (chars : "互")')
    "((('电话' & '礼':*)) | (('|电' <-> '|话'))) & ! ('|互')"
    """
    out: list[str] = []
    column: str | None = None
    depth_of_column: int | None = None
    depth = 0
    position = 0
    while position < len(fts):
        match = _FTS_TOKEN.match(fts, position)
        if match is None:
            if fts[position:].strip():
                raise QueryError("查詢無法執行；請改用較簡單的寫法")
            break
        position = match.end()
        if match["column"]:
            column, depth_of_column = match["column"], depth
        elif match["string"]:
            if column is None:
                raise QueryError("查詢無法執行；請改用較簡單的寫法")
            out.append(_string(match["string"], column, bool(match["star"])))
            if depth_of_column == depth:  # "chars : "…"" — the column covers this string only
                column = None
        elif match["op"]:
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}[match["op"]])
        elif match["paren"] == "(":
            depth += 1
            out.append("(")
        else:
            depth -= 1
            out.append(")")
            if depth_of_column is not None and depth <= depth_of_column:
                column = depth_of_column = None
    text = " ".join(out)
    return text.replace("( ", "(").replace(" )", ")")


MAX_BRANCHES = 16
# More branches than this and the search sends the single tsquery: measured at
# a million measures, 謄本's two branches cut the index scan from 111 to 16 ms,
# while 網路申辦 NOT 臨櫃's nine made the recheck of 52k rows four times slower.
MAX_BRANCHES_SPLIT = 4


def _subquery(tree: Tree, found: list[Phrase]) -> str:
    """The tsquery text of one subtree over the phrases ``found``."""
    kind = tree[0]
    if kind == "phrase":
        return found[tree[1]].tsquery()
    if kind == "not":
        return f"({_subquery(tree[1], found)}) & !({_subquery(tree[2], found)})"
    return (" & " if kind == "and" else " | ").join(f"({_subquery(child, found)})" for child in tree[1])


def branches(fts: str, column: str = "f.tsv") -> tuple[str, list[str]]:
    """``match_condition`` before its limit: one ``@@`` per branch, however many."""
    found = phrases(fts)
    params: list[str] = []

    def condition(tree: Tree) -> str:
        if tree[0] == "and":  # (a OR b) AND c as (a AND c) OR (b AND c), while that stays small
            arms = [child[1] if child[0] == "or" else [child] for child in tree[1]]
            if 1 < math.prod(map(len, arms)) <= MAX_BRANCHES:
                tree = ("or", [("and", list(combination)) for combination in itertools.product(*arms)])
        if tree[0] == "or":
            return "(" + " OR ".join(condition(child) for child in tree[1]) + ")"
        if tree[0] == "not":
            left = condition(tree[1])
            params.append(_subquery(tree[2], found))
            return f"({left} AND NOT {column} @@ ?::tsquery)"
        params.append(_subquery(tree, found))
        return f"{column} @@ ?::tsquery"

    return condition(expression_tree(fts)), params


def match_condition(fts: str, column: str = "f.tsv") -> tuple[str, list[str]]:
    """SQL matching ``column`` against the compiled expression, as ``@@`` of
    ``tsquery_text`` would, and its parameters: an OR on top (or on the left of
    a NOT on top) becomes one ``@@`` per branch, a NOT's right side ``AND NOT``,
    and an AND of ORs is first multiplied out when that makes at most
    MAX_BRANCHES branches; above MAX_BRANCHES_SPLIT ``@@`` in all, the one
    ``tsquery``.

    PostgreSQL then reads each branch from the GIN index on its own (a
    BitmapOr): in one tsquery an OR of a word and a character phrase makes the
    index walk every row holding any of the characters, since the phrase's
    characters might be next to each other anywhere; alone, each branch's
    AND reads only as far as its rarest lexeme.

    >>> match_condition('((tokens : "电话") OR (chars : "电 话")) NOT (chars : "互")')
    ('((f.tsv @@ ?::tsquery OR f.tsv @@ ?::tsquery) AND NOT f.tsv @@ ?::tsquery)', ["'电话'", "'|电' <-> '|话'", "'|互'"])
    """
    text = tsquery_text(fts)  # refuses what it cannot express
    sql, params = branches(fts, column)
    if len(params) > MAX_BRANCHES_SPLIT:
        # Rows the index cannot decide are rechecked branch by branch, each
        # reading the row's tsvector again: with many branches one tsquery wins.
        return f"{column} @@ ?::tsquery", [text]
    return sql, params
