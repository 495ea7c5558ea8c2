"""Errors a reader or the extractor raises for input it cannot use.

Each class carries its one reason, in Traditional Chinese like everything a
user reads, and each error the file and an optional detail (also Chinese): every
command prints them as ``plancheck: FILE: reason（detail）`` and exits 1, the
batch summaries and the web page show the same words."""

from __future__ import annotations

import errno
from pathlib import Path


class PlanError(Exception):
    """Base class: a file plancheck cannot process (a plan it cannot read, an
    output it must not write), with a one-line reason."""

    reason = "無法讀取"

    def __init__(self, path: str | Path, detail: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(self.message)

    @property
    def explanation(self) -> str:
        """The reason with its detail: what went wrong, without the file."""
        return self.reason + (f"（{self.detail}）" if self.detail else "")

    @property
    def message(self) -> str:
        return f"{self.path}: {self.explanation}"


class FileMissing(PlanError):
    reason = "找不到這個檔案"


class EmptyFile(PlanError):
    reason = "檔案是空的"


class NoText(PlanError):
    reason = "文件沒有任何文字（內文是空的）"


class UnsupportedFormat(PlanError):
    reason = "不是 plancheck 能讀的計畫格式"


class EncodingError(PlanError):
    reason = "無法辨識文字編碼（請另存為 UTF-8）"


class BinaryFile(PlanError):
    reason = "內容是二進位資料，不是文字、PDF、Word、ODF 或 HTML 文件"


class CorruptFile(PlanError):
    reason = "檔案已損壞，無法開啟"


class EncryptedFile(PlanError):
    reason = "檔案有密碼保護；請另存未加密的副本再檢查"


class ScannedPdf(PlanError):
    reason = "掃描的 PDF，沒有文字層；請先做文字辨識（OCR）或索取原始文件"


class PageImage(PlanError):
    reason = "頁面影像（掃描或照片），而文字辨識已關閉；請不加 --no-ocr 再檢查"


class NoTextFound(ScannedPdf):
    reason = "文字辨識（OCR）在每一頁都找不到文字（空白或無法辨識的掃描）"


class NeedsLibreOffice(PlanError):
    reason = "Word 97–2003、RTF 或 Works 文件，需由 LibreOffice 讀取；請安裝 LibreOffice（soffice）或另存為 .docx"


class ConversionFailed(PlanError):
    reason = "LibreOffice 無法轉換此檔"


class ArchiveOfPlans(PlanError):
    reason = "這是多份計畫的壓縮檔，不是一份計畫；請以批次檢查（plancheck check 檔案.zip --out 資料夾）"


class TooLarge(PlanError):
    reason = "檔案超過 plancheck 的大小限制"


def error_line(path: str, error: BaseException) -> str:
    """The one line printed for any failure on ``path``: a PlanError's own
    message, anything else as 無法處理 with its type (a bug, named so it can be reported)."""
    if isinstance(error, PlanError):
        return f"plancheck: {error.message}"
    return f"plancheck: {path}: {unexpected_reason(error)}"


_OS_REASONS = {errno.ENOENT: FileMissing.reason, errno.EACCES: "沒有讀取權限", errno.EPERM: "沒有讀取權限",
               errno.EISDIR: "這是資料夾，不是檔案"}


def os_reason(error: OSError) -> str:
    """Why the system refused a file, in Chinese (its errno name when uncommon)."""
    return _OS_REASONS.get(error.errno, f"系統錯誤 {errno.errorcode.get(error.errno or 0, type(error).__name__)}")


def unexpected_reason(error: BaseException) -> str:
    """The reason shown for an error that is not a PlanError: the system's
    refusal of a file in Chinese, anything else (a bug) by its type and text."""
    if isinstance(error, OSError) and error.errno is not None:
        return os_reason(error)
    text = str(error).splitlines()[0] if str(error) else ""
    return f"無法處理（{type(error).__name__}{'：' + text if text else ''}）"
