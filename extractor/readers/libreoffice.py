"""Converting a document with LibreOffice headless, cached by content.

Each conversion runs in its own temporary folder with its own LibreOffice
profile (``-env:UserInstallation``), so several jobs can convert at once and
none touches the user's profile; it runs in a process group of its own that is
killed when the time limit is reached (a dialog LibreOffice waits on, a file
it loops on) and after every run (soffice leaves soffice.bin behind).

The result is kept under ``$XDG_CACHE_HOME/plancheck/convert/`` (else
``~/.cache/plancheck/convert/``) by the sha256 of the input and the target
format, written atomically: the second read of the same file, an index after
a check, or the web page on the same file do not start LibreOffice again."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractor.errors import ConversionFailed, NeedsLibreOffice


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck" / "convert"


def cached_path(data: bytes, target: str) -> Path:
    return cache_dir() / f"{hashlib.sha256(data).hexdigest()}.{target}"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_conversion(path: Path | str, data: bytes, suffix: str, target: str, timeout: float) -> bytes:
    """The bytes LibreOffice writes when it converts ``data`` (a file named
    ``*suffix``) to ``target``; raises ConversionFailed or NeedsLibreOffice."""
    program = soffice()
    if program is None:
        raise NeedsLibreOffice(path)
    with tempfile.TemporaryDirectory(prefix="plancheck-convert-") as work:
        folder = Path(work)
        source = folder / f"source{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", target, "--outdir", str(out), str(source)]
        # HOME too: some LibreOffice versions write there despite the profile option.
        env = {**os.environ, "HOME": str(folder)}
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env, start_new_session=True)
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise ConversionFailed(path, f"{timeout:.0f} 秒內沒有結果，已停止轉換程序") from None
        finally:
            _kill_group(process)
        result = out / f"source.{target.split(':')[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionFailed(path, "無法當作文件開啟（已損壞，或內容與格式不符）")
        return result.read_bytes()


def store(path: Path, content: bytes) -> None:
    """Write ``content`` at ``path`` atomically (a unique temporary file
    renamed over it), so parallel jobs never read half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def convert(path: Path | str, data: bytes, suffix: str, target: str = "docx", timeout: float = 120.0) -> bytes:
    """``data`` converted to ``target``, from the cache when it was converted before."""
    cached = cached_path(data, target)
    try:
        return cached.read_bytes()
    except OSError:
        pass
    content = run_conversion(path, data, suffix, target, timeout)
    try:
        store(cached, content)
    except OSError:
        pass  # a read-only cache costs time, not the result
    return content
