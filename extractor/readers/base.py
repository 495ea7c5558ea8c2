"""What every reader shares: the read limits, the probe a format's sniffing
looks at, and the registry entry of one input format.

A format is recognised from the file's content, never from its name: each
``InputFormat.sniff`` looks at a ``Probe`` (the first bytes, the names inside a
zip or an OLE container) and says whether the file is its format. The probe
reads the container directories once, lazily, and checks a zip's declared
sizes against the limits before anything is inflated."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from io import BytesIO
from pathlib import Path

from extractor.elements import Document
from extractor.errors import CorruptFile, TooLarge
from extractor.ocr.run import OcrOptions

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A reader accepts the %PDF- header anywhere in the first 1024 bytes (mail
# gateways and upload forms put banners in front of it).
PDF_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class ReadLimits:
    """What a reader may spend on one file (set from ExtractSettings)."""

    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_archive_members: int = 5000
    max_pdf_pages: int = 2000
    convert_timeout: float = 120.0  # seconds LibreOffice may take on one legacy document
    max_archive_bytes: int = 1024 * 1024 * 1024  # a zip of plans, nested zips included
    max_archive_depth: int = 3  # zips inside a zip of plans
    ocr: OcrOptions | None = None  # how scanned pages are recognised; None: scans are refused


Reader = Callable[[Path, bytes, ReadLimits], Document]


def check_archive(path: Path | str, archive: zipfile.ZipFile, limits: ReadLimits,
                  max_bytes: int | None = None) -> None:
    """Refuse an archive whose declared contents exceed the limits (zip bombs).

    The declared sizes can be trusted as bounds: zipfile never inflates a
    member past its declared size (and checks its CRC)."""
    members = archive.infolist()
    max_bytes = limits.max_unpacked_bytes if max_bytes is None else max_bytes
    if len(members) > limits.max_archive_members:
        raise TooLarge(path, f"壓縮檔內有 {len(members)} 個檔案，上限 {limits.max_archive_members}")
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > max_bytes:
        raise TooLarge(path, f"解壓後 {unpacked // (1024 * 1024)} MB，上限 {max_bytes // (1024 * 1024)} MB；"
                             "可能是壓縮炸彈")
    if unpacked > 10 * 1024 * 1024 and unpacked / packed > limits.max_compression_ratio:
        raise TooLarge(path, f"壓縮比 {unpacked / packed:.0f}:1 超過 {limits.max_compression_ratio:.0f}:1；"
                             "可能是壓縮炸彈")


@dataclass
class Probe:
    """A file as format sniffing sees it."""

    path: Path
    data: bytes
    limits: ReadLimits

    @cached_property
    def head(self) -> bytes:
        """The first bytes, leading whitespace removed."""
        return self.data[:2048].lstrip()

    @cached_property
    def pdf_offset(self) -> int | None:
        """Where ``%PDF-`` starts, if it starts within the header window."""
        offset = self.data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5)
        return offset if offset >= 0 else None

    @cached_property
    def zip_names(self) -> frozenset[str] | None:
        """The member names of a zip file (None when it is not one), after the
        declared sizes were checked against the limits."""
        if not self.data.startswith(ZIP_MAGIC):
            return None
        try:
            with zipfile.ZipFile(BytesIO(self.data)) as archive:
                check_archive(self.path, archive, self.limits)
                return frozenset(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
            raise CorruptFile(self.path, f"壓縮檔損壞：{type(error).__name__}") from None

    def zip_member(self, name: str, limit: int = 1 << 20) -> bytes:
        """Up to ``limit`` bytes of a member of this zip ('' when absent)."""
        if not self.zip_names or name not in self.zip_names:
            return b""
        with zipfile.ZipFile(BytesIO(self.data)) as archive, archive.open(name) as member:
            return member.read(limit)

    @cached_property
    def ole_streams(self) -> frozenset[str] | None:
        """The stream names of an OLE2 compound file (Word 97, Works, Excel 97,
        and password-protected OOXML), None when it is not one."""
        if not self.data.startswith(OLE_MAGIC):
            return None
        import olefile

        try:
            with olefile.OleFileIO(self.data) as ole:
                return frozenset("/".join(entry) for entry in ole.listdir(streams=True, storages=False))
        except (OSError, ValueError, IndexError, TypeError) as error:
            raise CorruptFile(self.path, f"OLE2 容器損壞：{type(error).__name__}") from None


@dataclass(frozen=True)
class InputFormat:
    """One registered input format: everything else (the format names, the
    extensions the CLI and the web page accept, the docs' list) derives from
    the registry of these."""

    name: str  # SourceFile.format
    label: str  # what the docs call it
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    sniff: Callable[[Probe], bool]
    read: Reader
    archive: bool = False  # a container of plans (a batch), not one plan
