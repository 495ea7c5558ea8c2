"""Turning failures into the one-line messages and exit codes of docs/cli.md."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from extractor.errors import (ArchiveOfPlans, BinaryFile, ConversionFailed, CorruptFile, EmptyFile, EncodingError,
                              EncryptedFile, FileMissing, NeedsLibreOffice, NoTextFound, PageImage, PlanError, ScannedPdf,
                              TooLarge, UnsupportedFormat)
from library import error_line
from outputs.files import UnsafeOutput

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


# The reports are Traditional Chinese; the extractor's errors carry an English
# reason (the command line's), shown in a report's list of unreadable files
# through this table.
_REASONS: tuple[tuple[type[PlanError], str], ...] = (
    (FileMissing, "找不到這個檔案"),
    (EmptyFile, "檔案是空的"),
    (UnsupportedFormat, "不是 plancheck 能讀的計畫格式（.pdf .docx .odt .html .htm .txt .md .png .jpg .tif 等）"),
    (EncodingError, "無法辨識文字編碼（請另存為 UTF-8）"),
    (BinaryFile, "內容是二進位資料，不是文字、PDF、Word、ODF 或 HTML 文件"),
    (CorruptFile, "檔案已損壞，無法開啟"),
    (EncryptedFile, "檔案有密碼保護；請另存未加密的副本再檢查"),
    (NoTextFound, "文字辨識（OCR）在每一頁都找不到文字（空白或無法辨識的掃描）"),
    (PageImage, "頁面影像（掃描或照片），而文字辨識已關閉；請不加 --no-ocr 再檢查"),
    (ScannedPdf, "掃描的 PDF，沒有文字層；請先做文字辨識（OCR）或索取原始文件"),
    (TooLarge, "檔案超過 plancheck 的大小限制"),
    (NeedsLibreOffice, "Word 97–2003、RTF 或 Works 文件，需由 LibreOffice 讀取；請安裝 LibreOffice（soffice）或另存為 .docx"),
    (ConversionFailed, "LibreOffice 無法轉換此檔"),
    (ArchiveOfPlans, "這是多份計畫的壓縮檔，不是一份計畫；請以批次檢查（plancheck check 檔案.zip --out 資料夾）"),
    (UnsafeOutput, "拒絕覆寫輸入檔"),
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
        if isinstance(error, UnsafeOutput):  # names the output file, not the input
            return f"{reason}（{error.path}）"
        return reason + (f"（{_detail(error.detail)}）" if error.detail else "")
    text = str(error).splitlines()[0] if str(error) else ""
    return f"無法處理（{type(error).__name__}{'：' + text if text else ''}）"


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
