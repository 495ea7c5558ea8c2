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
from extractor import labels
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
_CLAUSE_HEAD = re.compile(r"[（(]\s*(?:承辦|主辦|負責|執行|辦理)(?:單位|部門)\s*[:：]")
_CLAUSE_SHARE = 0.25  # of the paragraphs carry an owner clause
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
    is_label: bool = False  # a heading label: what follows is under it (set by outline_items)

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


def label_width(paragraphs: list[Paragraph]) -> int:
    """The longest a heading label can be in this outline; 0 when labels are not
    read. Labels are read only in an outline whose measures close with an owner
    clause (「（承辦單位：…）」): there every measure's end is marked, so a short line
    without one is a heading. Elsewhere a short line may be a wrap the web copy
    put in (「一、整體服務類」 / 「實施構面包括…」). See extractor.labels."""
    texts = [paragraph.text.strip() for paragraph in paragraphs if paragraph.text.strip()]
    if not texts or sum(1 for text in texts if _CLAUSE_HEAD.search(text)) < _CLAUSE_SHARE * len(texts):
        return 0
    return labels.label_width([len(text) for text in texts])


def is_label_item(item: Item, width: int) -> bool:
    """Whether ``item`` is a heading label: one short line without sentence
    punctuation or owner clause."""
    return (len(item.lines) == 1 and labels.reads_as_label(item.text, width) and item.is_unfinished()
            and not owner_clause(item.text)[1])


def outline_items(paragraphs: list[Paragraph]) -> list[Item]:
    """The items of an outline in reading order. A line without a marker continues
    the item before it when that item's sentence is unfinished (a hard wrap, or a
    continuation line starting with punctuation, or a 「（承辦單位：…）」 clause wrapped
    onto a line of its own); otherwise, and after a heading label, it is an item of
    its own. Items typed on one line (newlines lost) are split."""
    width = label_width(paragraphs)
    items: list[Item] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text or _FIGURE.search(text):
            continue
        marker, rest = outline_marker(text)
        previous = items[-1] if items else None
        if previous is not None:
            previous.is_label = is_label_item(previous, width)
        if marker is None and previous is not None and (
                previous.is_unfinished() and not previous.is_label
                or re.match(r"^[,，、。；;:：)）」]", text) or not owner_clause(text)[0]):
            previous.lines.append(text)
            continue
        pieces = split_items((marker.raw + " " if marker else "") + rest) if marker else [(None, text)]
        if marker is not None and pieces and pieces[0][0] is not None and pieces[0][0].style != marker.style:
            pieces = [(marker, rest)]  # split_items reads a marker outline_marker recognised differently
        if marker is not None and pieces:
            pieces[0] = (marker, pieces[0][1] if pieces[0][0] is not None else rest)
        for piece_marker, piece_text in pieces:
            items.append(Item(marker=piece_marker, lines=[piece_text], line=paragraph.line, page=paragraph.page))
    if items:
        items[-1].is_label = is_label_item(items[-1], width)
    return items


def _outranks_bullet(marker: Marker, top: Marker) -> bool:
    """A numbered item of a higher level than the bullet item above it (a slide's 「▶ 2、…」 after
    「● …」) is that bullet's sibling, not its child."""
    return top.value is None and marker.value is not None and marker.rank < top.rank


def _same_style_opener(stack: list[Item], styles: list[str], item: Item) -> int | None:
    """Where an item of a style already open goes when that style is open twice or restarts:
    the index of the stack entry it nests under, or None for the usual (a sibling of the
    outermost entry of its style). A list restarting at 1 under a content title that has no
    items yet (「伍、實施內容：」 then 「壹、基礎服務」) is the content; a later item continues
    whichever open list it is the next number of (貳、 the inner list, 陸、 the outer one)."""
    value = item.marker.value if item.marker else None
    if value is None:
        return None
    open_at = [index for index, style in enumerate(styles) if index and style == item.style]
    for index in reversed(open_at):
        if stack[index].marker.value is not None and stack[index].marker.value + 1 == value:
            return index - 1
    deepest = stack[open_at[-1]]
    if value == 1 and (deepest.marker.value or 0) > 1 and not deepest.children \
            and CONTENT_TITLES.search(deepest.text[:_TITLE_PREFIX]):
        return open_at[-1]
    return None


def build_tree(items: list[Item]) -> Item:
    """Items placed in one tree: a marker style already open on the stack closes
    everything below it (a sibling); a new style nests under the current item.
    An unnumbered item nests under an item that announces a list (「如下:」) or
    under a heading label (a label itself closes the unnumbered items before it),
    and is a sibling of anything else."""
    root = Item(marker=None, lines=[])
    stack: list[Item] = [root]
    for item in items:
        styles = [entry.style for entry in stack]
        if item.marker is None and item.is_label:
            while stack[-1] is not root and stack[-1].marker is None and not _ANNOUNCES.search(stack[-1].text):
                stack.pop()  # a label closes the plain paragraphs and the label before it
        elif item.marker is None:
            top = stack[-1]
            if top is not root and not _ANNOUNCES.search(top.text) and not top.is_label and (
                    top.style == "plain" or top.marker is not None and not top.marker.is_heading_style):
                stack.pop()
        elif item.style in styles[1:]:
            opener = _same_style_opener(stack, styles, item)
            if opener is None:
                del stack[styles.index(item.style, 1):]
            else:
                del stack[opener + 1:]
        else:
            # A numbered item does not nest under a plain paragraph, nor a heading number (壹、 一、 (一))
            # under an unnumbered label: only the low levels sit under one; nor under a bullet item of a
            # lower level.
            while len(stack) > 1 and not _ANNOUNCES.search(stack[-1].text) and (
                    stack[-1].marker is None and not (stack[-1].is_label and not item.marker.is_heading_style)
                    or stack[-1].marker is not None and _outranks_bullet(item.marker, stack[-1].marker)):
                stack.pop()
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
