"""Site chrome around a plan copied from a web page or a law database: skip
links, menu bars, print and share buttons, document-site wrappers, law
metadata lines and page markers. None of it is plan text; left in, it ends up
as a title, a heading or a measure.

``without_chrome`` keeps every other paragraph as it was, except that it drops
a leading bullet the page put before a heading (「•壹、 計畫依據」), a Word field
code (「PAGE 」) and the label of the law database's title line
(「法規名稱: …」 keeps the title)."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.elements import Document, Paragraph

# Whole paragraphs that are navigation, buttons or wrappers.
_CHROME_LINE = re.compile(
    r"^(?:跳到主要內容(?:區塊)?|:::|:::.{0,80}|回首頁|網站導覽|全文檢索|手機(?:主)?選單|Close|橫幅|跑馬燈|字級(?:大小)?|"
    r"友善列印|列印|回上一頁|回上頁|分享|下載|所有條文|歷史法規|法規內容:?|法條內容:?|圖表附件:?|法規功能按鈕區|"
    r"TRANSCRIPT|Documents|Category:?|Click here to load reader|Upload:.*|Post on .*|\d+\s+views?|\d+\s+downloads?|"
    r"举报|VIP|约\s*[\d.]+\s*[千万]?字|约\s*\d+\s*页|.{0,20}发布于.{0,10}|Issuu on .*|\*)$",
    re.IGNORECASE,
)
# Paragraphs that start with a page's or a law database's metadata label.
_CHROME_PREFIX = re.compile(
    r"^(?:最後異動時間|最後更新(?:時間|日期)|更新日期|發布日期|發布單位|列印時間|瀏覽人次|點閱(?:次數|人次)|公發布日|修正日期|"
    r"停止適用時間|廢止日期|廢止/停止適用日期|發文字號|法規體系|法規類別|您的位置|您的瀏覽器不支援JavaScript)\s*[:：]?"
)
# A menu bar: several short items between vertical bars.
_MENU = re.compile(r"^[^|]{1,12}(?:\s*\|\s*[^|]{1,12}){2,}$")
# Page markers a converter or a document site leaves between pages.
_PAGE_MARK = re.compile(r"^(?:[(（]\s*\d{1,3}\s*[)）]|第\s*\d{1,3}\s*頁(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*頁)?|-\s*\d{1,3}\s*-|\d{1,3}|P\.\s*\d{1,3}|Page \d{1,3}(?: - .*)?)$")
_LAW_TITLE = re.compile(r"^法規名稱\s*[:：]\s*")
_LEADING_BULLET = re.compile(r"^[•·]\s*")
_FIELD_CODE = re.compile(r"^(?:PAGE|NUMPAGES|MERGEFORMAT)\s+")


def is_chrome(text: str) -> bool:
    """True for a paragraph that belongs to the page around the plan.

    >>> is_chrome("回首頁 | 網站導覽 | 雙語詞彙 | 地政問答 | 分類檢索 | RSS | English | 字級大小")
    True
    >>> is_chrome("列印時間:113.11.23 19:44")
    True
    >>> is_chrome("(一)訂定機關年度提升服務品質計畫,具體規劃為民服務工作。")
    False
    """
    text = _LEADING_BULLET.sub("", text.strip())
    if not text:
        return True
    return bool(_CHROME_LINE.match(text) or _CHROME_PREFIX.match(text) or _MENU.match(text) or _PAGE_MARK.match(text))


def plan_text_of(text: str) -> str:
    """A kept paragraph without the page's decoration: bullet, field code, the
    law database's title label.

    >>> plan_text_of("•壹、 計畫依據")
    '壹、 計畫依據'
    >>> plan_text_of("法規名稱: 臺中市政府地方稅務局服務品質及效率躍升計畫")
    '臺中市政府地方稅務局服務品質及效率躍升計畫'
    """
    text = text.strip()
    text = _LEADING_BULLET.sub("", text)
    text = _FIELD_CODE.sub("", text)
    return _LAW_TITLE.sub("", text)


def without_chrome(document: Document) -> Document:
    """The document with the page's chrome paragraphs removed (tables untouched)."""
    elements = []
    removed = 0
    for element in document.elements:
        if isinstance(element, Paragraph):
            if is_chrome(element.text):
                removed += 1
                continue
            text = plan_text_of(element.text)
            if text != element.text:
                element = replace(element, text=text)
        elements.append(element)
    if not removed and elements == document.elements:
        return document
    return replace(document, elements=elements)
