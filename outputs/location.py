"""Where something is in a file, in the report's words. Apart from the report
views so that a search's table can say it without importing them."""

from __future__ import annotations


def place_text(page: int | None = None, line: int | None = None, row: int | None = None) -> str:
    """Where something is, as a reader looks it up: 第 3 頁 第 120 行 / 第 5 列.

    >>> place_text(page=3, line=120)
    '第 3 頁 第 120 行'
    >>> place_text()
    ''
    """
    parts = []
    if page is not None:
        parts.append(f"第 {page} 頁")
    if line is not None:
        parts.append(f"第 {line} 行")
    if row is not None:
        parts.append(f"表格第 {row} 列")
    return " ".join(parts)
