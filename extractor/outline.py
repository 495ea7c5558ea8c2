"""Measures read from a numbered outline, for plans written without a measure
table: law-database copies of 為民服務 rules, plans typed as lists.

    paragraphs → outline items   (hard wraps joined, run-on items split)
               → numbering tree  (a marker style open on the stack is a sibling)
               → the plan-content subtree (計畫內容, 實施策略, 執行方面 …)
               → its leaves are the measures; a trailing
                 「（承辦單位：…；完成期限：…）」 gives units and deadline

Every function here is pure: paragraphs in, items or trees out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.elements import Paragraph
from normalizers.definitions import introduces_definitions, is_definition
from normalizers.numbering import Marker, parse_marker, split_items
from normalizers.text import join_lines

# Section titles under which a plan lists what it will do.
CONTENT_TITLES = re.compile(
    r"計畫內容|實施策略|執行策略|推動策略|實施要項|實施項目|實施內容|工作項目|工作內容|辦理事項|具體措施|"
    r"執行方面|為民服務事項|服務事項|執行方法|推動方法"
)
# Sections that frame the plan and never hold its measures.
PREAMBLE_TITLES = re.compile(
    r"依據|目標|目的|緣起|前言|實施對象|適用對象|實施(時間|期間|期程)|執行期程|計畫期程|基本原則|現況|簡介|經費|"
    r"獎懲|考核|附則|預期效益|名詞|定義|評核對象"
)
_TITLE_PREFIX = 60  # a title is read in the first characters of a heading item
_TERMINAL = re.compile(r"[。；;！？!?」』)）]$")
_ANNOUNCES = re.compile(r"[:：]$")
_MIN_MEASURE = 4
_LIST_LABEL = 12  # an item this short ending in 「:」 only labels a list (「二 檢察官:」)
_FIGURE = re.compile(r"[\u2500-\u257f\u2190-\u21ff]")  # box drawing and arrows: a flowchart, not text
# "一 共同措施:" — a Chinese numeral and a space (the 、 lost); "ㄧ、" typed with the bopomofo letter.
_SPACED_NUMERAL = re.compile(r"^([一二三四五六七八九十]{1,3})\s+(?=\S)")
_BOPOMOFO_ONE = re.compile(r"^(\s*[(（]?)ㄧ")
_OWNER_CLAUSE = re.compile(
    r"[（(]\s*(?:(?:承辦|主辦|負責|執行|辦理)(?:單位|部門))\s*[:：]\s*(?P<units>[^；;:：）)]+?)\s*"
    r"(?:[；;，,]\s*(?:完成期限|辦理期限|執行期限|完成時間|期限|時程)\s*[:：]\s*(?P<deadline>[^）)]+?)\s*)?[）)]\s*[。；;]?\s*$"
)
_UNIT_SEPARATORS = re.compile(r"[、，,/／\s]+")


@dataclass
class Item:
    marker: Marker | None
    lines: list[str]
    line: int | None = None
    page: int | None = None
    children: list["Item"] = field(default_factory=list)
    parent: "Item | None" = None

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def style(self) -> str:
        return self.marker.style if self.marker else "plain"

    @property
    def label(self) -> str:
        return f"{self.marker.raw}{self.text}" if self.marker else self.text

    def is_unfinished(self) -> bool:
        return bool(self.text) and not _TERMINAL.search(self.text) and not _ANNOUNCES.search(self.text)


def outline_marker(text: str) -> tuple[Marker | None, str]:
    """The numbering marker at the start of an outline line, as plans type them.

    >>> outline_marker("一 共同措施:")
    (Marker(style='一', value=1, raw='一', rank=2), '共同措施:')
    >>> outline_marker("ㄧ、發揮專業效能")[0].value
    1
    """
    text = _BOPOMOFO_ONE.sub(r"\g<1>一", text)
    marker, rest = parse_marker(text, lenient=True)
    if marker is not None:
        return marker, rest
    match = _SPACED_NUMERAL.match(text.strip())
    if match and len(match.group(1)) <= 2:
        value = parse_marker(match.group(1) + "、")[0]
        if value is not None:
            return Marker(style="一", value=value.value, raw=match.group(1), rank=2), text.strip()[match.end():].strip()
    return None, text.strip()


def outline_items(paragraphs: list[Paragraph]) -> list[Item]:
    """The items of an outline in reading order. A line without a marker continues
    the item before it when that item's sentence is unfinished (a hard wrap, or a
    continuation line starting with punctuation, or a 「（承辦單位：…）」 clause wrapped
    onto a line of its own); otherwise it is an item of its own.
    Items typed on one line (newlines lost) are split."""
    items: list[Item] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text or _FIGURE.search(text):
            continue
        marker, rest = outline_marker(text)
        previous = items[-1] if items else None
        if marker is None and previous is not None and (
                previous.is_unfinished() or re.match(r"^[,，、。；;:：)）」]", text) or not owner_clause(text)[0]):
            previous.lines.append(text)
            continue
        pieces = split_items((marker.raw + " " if marker else "") + rest) if marker else [(None, text)]
        if marker is not None and pieces and pieces[0][0] is not None and pieces[0][0].style != marker.style:
            pieces = [(marker, rest)]  # split_items reads a marker outline_marker recognised differently
        if marker is not None and pieces:
            pieces[0] = (marker, pieces[0][1] if pieces[0][0] is not None else rest)
        for piece_marker, piece_text in pieces:
            items.append(Item(marker=piece_marker, lines=[piece_text], line=paragraph.line, page=paragraph.page))
    return items


def build_tree(items: list[Item]) -> Item:
    """Items placed in one tree: a marker style already open on the stack closes
    everything below it (a sibling); a new style nests under the current item.
    An unnumbered item nests under an item that announces a list (「如下:」) and
    is a sibling of anything else."""
    root = Item(marker=None, lines=[])
    stack: list[Item] = [root]
    for item in items:
        styles = [entry.style for entry in stack]
        if item.marker is None:
            top = stack[-1]
            if top is not root and not _ANNOUNCES.search(top.text) and top.style == "plain":
                stack.pop()
            elif top is not root and not _ANNOUNCES.search(top.text) and top.marker is not None and not top.marker.is_heading_style:
                stack.pop()
        elif item.style in styles[1:]:
            del stack[styles.index(item.style, 1):]
        else:
            while len(stack) > 1 and stack[-1].marker is None and not _ANNOUNCES.search(stack[-1].text):
                stack.pop()  # a numbered item does not nest under a plain paragraph
        parent = stack[-1]
        item.parent = parent
        parent.children.append(item)
        stack.append(item)
    return root


def _walk(item: Item):
    for child in item.children:
        yield child
        yield from _walk(child)


def content_sections(root: Item) -> tuple[list[Item], bool]:
    """The subtrees that hold the plan's measures, and whether a section title
    named them: the first heading item titled 計畫內容 / 實施策略 / 執行方面 …;
    without one, every top-level item that is not a preamble section (依據,
    目標, 實施對象 …)."""
    for item in _walk(root):
        head = item.text[:_TITLE_PREFIX]
        if item.children and CONTENT_TITLES.search(head) and not PREAMBLE_TITLES.search(head[:12]):
            return [item], True
    kept = [item for item in root.children if not PREAMBLE_TITLES.search(item.text[:12])]
    return kept, False


def _defines(item: Item) -> bool:
    """Whether an item is a definition or sits in a list that an item introduced as definitions."""
    if is_definition(item.text):
        return True
    parent = item.parent
    return parent is not None and introduces_definitions(parent.text)


def leaves(sections: list[Item]) -> list[Item]:
    """The measures of the sections: leaves long enough to be a measure, and not
    a short label of a list the excerpt no longer holds (「二 檢察官:」), nor a
    definition quoted from the framework (「開放參與係指…」)."""
    result = []
    for section in sections:
        for item in [section, *_walk(section)]:
            if item.children or item is section and section.children:
                continue
            if len(item.text) < _MIN_MEASURE or (len(item.text) < _LIST_LABEL and _ANNOUNCES.search(item.text)):
                continue
            if _defines(item):
                continue
            result.append(item)
    return result


def owner_clause(text: str) -> tuple[str, list[str], str | None]:
    """A measure's text without its trailing 「（承辦單位：…；完成期限：…）」, the units
    and the deadline it names.

    >>> owner_clause("每季辦理電話禮貌測試。（承辦單位：秘書室、研考科；完成期限：每季）")
    ('每季辦理電話禮貌測試。', ['秘書室', '研考科'], '每季')
    """
    match = _OWNER_CLAUSE.search(text)
    if not match:
        return text, [], None
    units = [unit for unit in _UNIT_SEPARATORS.split(match.group("units")) if unit]
    deadline = match.group("deadline")
    return text[:match.start()].rstrip(), units, deadline.strip() if deadline else None


def path_of(item: Item, section: Item | None = None) -> list[str]:
    """The labels above ``item``, below ``section`` when a section title named
    the plan content (that title is where the measures are, not a level of them)."""
    chain = []
    current = item.parent
    while current is not None and current.parent is not None and current is not section:
        chain.append(current.label)
        current = current.parent
    return list(reversed(chain))
