"""Turning failures into the one-line messages and exit codes of docs/cli.md."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from extractor.errors import (BinaryFile, CorruptFile, EmptyFile, EncodingError, EncryptedFile, FileMissing, LegacyWord,
                              NoMeasureTable, PlanError, ScannedPdf, TooLarge, UnsupportedFormat)
from outputs.files import UnsafeOutput

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


# The reports and the messages of plancheck are Traditional Chinese; the
# extractor's errors carry an English reason for the code, shown through this table.
_REASONS: tuple[tuple[type[PlanError], str], ...] = (
    (FileMissing, "找不到這個檔案"),
    (EmptyFile, "檔案是空的"),
    (UnsupportedFormat, "不是 plancheck 能讀的計畫格式（.pdf .docx .odt .html .htm .txt .md）"),
    (EncodingError, "無法辨識文字編碼（請另存為 UTF-8）"),
    (BinaryFile, "內容是二進位資料，不是文字、PDF、Word、ODF 或 HTML 文件"),
    (CorruptFile, "檔案已損壞，無法開啟"),
    (EncryptedFile, "檔案有密碼保護；請另存未加密的副本再檢查"),
    (ScannedPdf, "掃描的 PDF，沒有文字層；請先做文字辨識（OCR）或索取原始文件"),
    (LegacyWord, "舊版 Word（.doc）檔；請另存為 .docx 或 .odt 再檢查"),
    (TooLarge, "檔案超過 plancheck 的大小限制"),
    (NoMeasureTable, "找不到措施表（沒有含「面向／執行策略／具體作法」等欄位的表格）"),
)
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), chinese) for pattern, chinese in (
    (r"(\d+) bytes, limit (\d+)", r"\1 位元組，上限 \2"),
    (r"(\d+) pages, limit (\d+)", r"\1 頁，上限 \2 頁"),
    (r"the archive holds (\d+) files, limit (\d+)", r"壓縮檔內有 \1 個檔案，上限 \2"),
    (r"unpacks to (\d+) MB, limit (\d+) MB; possibly a zip bomb", r"解壓後 \1 MB，上限 \2 MB；可能是壓縮炸彈"),
    (r"compression ratio (\S+) exceeds (\S+); possibly a zip bomb", r"壓縮比 \1 超過 \2；可能是壓縮炸彈"),
    (r"the PDF is truncated \(no end-of-file marker\)", "PDF 不完整（缺少檔案結尾標記）"),
    (r"page (\d+) is damaged \((.*)\)", r"第 \1 頁損壞（\2）"),
    (r"unreadable PDF \((.*)\)", r"PDF 無法讀取（\1）"),
    (r"unreadable HTML \((.*)\)", r"HTML 無法讀取（\1）"),
    (r"not a readable \.(docx|odt): (.*)", r"不是可讀取的 .\1 檔：\2"),
    (r"damaged zip archive \((.*)\)", r"壓縮檔損壞（\1）"),
    (r"a zip archive that is neither \.docx nor \.odt", "壓縮檔，但不是 .docx 也不是 .odt"),
    (r"(\w+) files are not supported yet", r"尚不支援 \1 檔"),
    (r"invalid ([\w-]+): (.*)", r"不是有效的 \1 編碼：\2"),
))


def _detail(detail: str) -> str:
    for pattern, chinese in _DETAILS:
        if match := pattern.fullmatch(detail):
            return match.expand(chinese)
    return f"技術細節：{detail}"


def reason_text(error: BaseException) -> str:
    """Why a file could not be processed, one line of Traditional Chinese."""
    if isinstance(error, PlanError):
        reason = next((text for kind, text in _REASONS if isinstance(error, kind)), "無法讀取")
        return reason + (f"（{_detail(error.detail)}）" if error.detail else "")
    if isinstance(error, UnsafeOutput):
        return str(error)
    text = str(error).splitlines()[0] if str(error) else ""
    return f"無法處理（{type(error).__name__}{'：' + text if text else ''}）"


def error_line(path: str, error: BaseException) -> str:
    """One line naming the file and the reason, for any failure."""
    if isinstance(error, UnsafeOutput):
        return f"plancheck: {error}"
    return f"plancheck: {error.path if isinstance(error, PlanError) else path}: {reason_text(error)}"


@contextmanager
def one_line_errors(path: str) -> Iterator[None]:
    """Run a single-file command: any failure becomes one line on stderr and exit 1."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - every failure must be one clear line
        print(error_line(path, error), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
