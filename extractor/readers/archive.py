"""Zip archives of plans: a ministry's submissions in one file, read as a batch.

Each member with a plan extension is one input, named by the archive's path
and its path inside (``subs.zip/北區/plan.docx``: nested folders kept), and read
straight from the archive, never unpacked to disk. Zips inside the archive are
opened the same way, to ``max_archive_depth`` levels. Before any member is
read, the declared sizes (which zipfile never lets a member exceed) are held
against the limits: the member count, the total unpacked size of the archive
and its nested archives, and the compression ratio. Members whose names would
escape (absolute, drive letters, ``..``) and links are reported and skipped.

Member names without the UTF-8 flag are decoded as UTF-8 when they are valid
UTF-8, else as Big5 (cp950), as Windows in Taiwan writes them."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path, PurePosixPath

from extractor.elements import Document
from extractor.errors import ArchiveOfPlans, CorruptFile, FileMissing, PlanError, TooLarge
from extractor.readers.base import ZIP_MAGIC, Probe, ReadLimits, check_archive

_UTF8_FLAG = 0x800


def sniff(probe: Probe) -> bool:
    """Any zip the document formats before it did not claim."""
    return probe.zip_names is not None


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        count = sum(1 for info in archive.infolist() if not info.is_dir() and not _hidden(member_name(info)))
    raise ArchiveOfPlans(path, f"內有 {count} 個檔案")


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "cp950"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unsafe_name(name: str) -> bool:
    """A member name that would escape the folder it is unpacked into."""
    posix = name.replace("\\", "/")
    return posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in PurePosixPath(posix).parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _hidden(name: str) -> bool:
    return any(part.startswith((".", "~$", "__MACOSX")) for part in PurePosixPath(name).parts)


@dataclass
class Listing:
    """What an archive holds: the plan members' paths, and the members
    refused, each with its reason."""

    members: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _open(where: str, data: bytes, limits: ReadLimits, budget: list[int]) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise CorruptFile(where, f"壓縮檔損壞：{type(error).__name__}") from None
    check_archive(where, archive, limits, max_bytes=budget[0])
    budget[0] -= sum(info.file_size for info in archive.infolist())
    return archive


def _plan_archive(where: str, data: bytes, limits: ReadLimits) -> bool:
    """Whether ``data`` is a zip of plans rather than a zip-based document."""
    if not data.startswith(ZIP_MAGIC):
        return False
    from extractor.readers import detect_format

    try:  # the archive's own size limit, not a document's
        return detect_format(Path(where), data, replace(limits, max_unpacked_bytes=limits.max_archive_bytes)).archive
    except TooLarge:
        raise
    except PlanError:
        return False  # a damaged document: reading it says so


def _list(where: str, data: bytes, limits: ReadLimits, extensions: tuple[str, ...], depth: int,
          budget: list[int], listing: Listing) -> None:
    with _open(where, data, limits, budget) as archive:
        for info in sorted(archive.infolist(), key=member_name):
            name = member_name(info)
            path = f"{where}/{name.replace(chr(92), '/')}"
            if info.is_dir():
                continue
            if unsafe_name(name):
                listing.refused.append((path, "成員的路徑指向壓縮檔之外（絕對路徑或 ..），已略過"))
            elif _hidden(name):
                continue
            elif _is_link(info):
                listing.refused.append((path, "壓縮檔內的連結，不是檔案，已略過"))
            elif PurePosixPath(name).suffix.lower() not in extensions:
                continue
            elif archive.open(info).read(4) == ZIP_MAGIC:
                _list_nested(path, archive.read(info), limits, extensions, depth, budget, listing)
            else:
                listing.members.append(path)


def _list_nested(where: str, data: bytes, limits: ReadLimits, extensions: tuple[str, ...], depth: int,
                 budget: list[int], listing: Listing) -> None:
    """A zip-based member: a document is one input, a zip of plans is listed in
    turn; one that breaks a limit is refused, the rest of the archive goes on."""
    try:
        if not _plan_archive(where, data, limits):
            listing.members.append(where)
        elif depth >= limits.max_archive_depth:
            listing.refused.append((where, f"壓縮檔巢狀超過 {limits.max_archive_depth} 層，已略過"))
        else:
            _list(where, data, limits, extensions, depth + 1, budget, listing)
    except (TooLarge, CorruptFile) as error:
        listing.refused.append((where, error.explanation))


def list_archive(path: Path | str, limits: ReadLimits | None = None) -> Listing | None:
    """The plans inside ``path`` when it is a zip of plans (by its content),
    else None. Raises TooLarge or CorruptFile for the archive as a whole."""
    from extractor.readers import plan_extensions

    limits = limits or ReadLimits()
    path = Path(path)
    with path.open("rb") as handle:
        if handle.read(4) != ZIP_MAGIC:
            return None
    if path.stat().st_size > limits.max_archive_bytes:
        raise TooLarge(path, f"{path.stat().st_size} 位元組，壓縮檔上限 {limits.max_archive_bytes}")
    data = path.read_bytes()
    if not _plan_archive(str(path), data, limits):
        return None
    listing = Listing()
    _list(str(path), data, limits, plan_extensions(), 0, [limits.max_archive_bytes], listing)
    return listing


def _member_bytes(where: str, data: bytes, inner: str, limits: ReadLimits, max_bytes: int, depth: int,
                  budget: list[int]) -> bytes:
    with _open(where, data, limits, budget) as archive:
        infos = {member_name(info).replace("\\", "/"): info for info in archive.infolist()
                 if not unsafe_name(member_name(info)) and not _is_link(info)}
        if inner in infos:
            info = infos[inner]
            if info.file_size > max_bytes:
                raise TooLarge(f"{where}/{inner}", f"{info.file_size} 位元組，上限 {max_bytes}")
            return archive.read(info)
        parts = inner.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            outer = "/".join(parts[:cut])
            if outer in infos and depth < limits.max_archive_depth:
                return _member_bytes(f"{where}/{outer}", archive.read(infos[outer]), "/".join(parts[cut:]),
                                     limits, max_bytes, depth + 1, budget)
    raise FileMissing(f"{where}/{inner}")


def read_member(path: Path | str, limits: ReadLimits | None = None, max_bytes: int = 100 * 1024 * 1024) -> bytes:
    """The bytes of ``archive.zip/inner/path``, a member as list_archive names
    it; FileMissing when no file on disk is a prefix of the path."""
    limits = limits or ReadLimits()
    path = Path(path)
    parts = path.parts
    for cut in range(len(parts) - 1, 0, -1):
        outer = Path(*parts[:cut])
        if outer.is_file():
            if outer.stat().st_size > limits.max_archive_bytes:
                raise TooLarge(outer, f"{outer.stat().st_size} 位元組，壓縮檔上限 {limits.max_archive_bytes}")
            return _member_bytes(str(outer), outer.read_bytes(), "/".join(parts[cut:]), limits, max_bytes, 0,
                                 [limits.max_archive_bytes])
        if outer.exists():
            break
    raise FileMissing(path)
