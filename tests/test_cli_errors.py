"""Every command's error line (issue 15: "every user-facing line is Chinese"):
one line on stderr naming the file (or the option) and a Traditional Chinese
reason, a non-zero exit and no traceback, the same whichever single-file
command meets the file. The reasons come from one place per error class
(extractor/errors.py), so the batch summary says the same words."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import FIXTURES, ROOT, SAMPLES

SCANS = ROOT / "tests" / "fixtures" / "scans"
SINGLE_FILE_COMMANDS = (("check",), ("extract",), ("debug",), ("index", "--db", "{db}"))
# Names a Chinese line may carry: formats, programs, the command itself.
NAMES = {"PDF", "OCR", "UTF", "Word", "Works", "RTF", "HTML", "ODF", "LibreOffice", "soffice", "Excel", "OLE", "SQLite", "YAML",
         "CSV", "plancheck", "check", "zip", "docx", "xlsx", "odt", "ods", "doc", "wps", "rtf", "htm", "html", "csv", "txt",
         "md", "pdf", "png", "jpg", "jpeg", "tif", "tiff", "MB", "BOM"}


def _typed_values() -> set[str]:
    """Values a user types, which a rule may list: --fail-on's choices, debug's steps."""
    from plancheck.commands.extract import STEPS
    from plancheck.options import FailOn

    return {*STEPS, *(member.value for member in FailOn)}


def english_words(line: str, named: str) -> set[str]:
    """English words of the reason: what is left once the command (plancheck
    search:), the file, the options, values a user types, the known names and
    code identifiers (BadZipFile) are taken out."""
    text = re.sub(r"^plancheck[\w -]*: ", " ", line).replace(named, " ")
    text = re.sub(r"--[\w-]+|\.[a-z]{2,4}\b|\b[A-Z][a-z]+[A-Z]\w*", " ", text)
    return {word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in NAMES | _typed_values()}


def assert_one_chinese_line(result, named: str, codes: tuple[int, ...] = (1,), own_words: str = "") -> str:
    """The one error line, which names ``named`` and gives a Chinese reason;
    ASCII words found in ``own_words`` (what the user wrote) may be quoted back."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode in codes, (result.returncode, result.stderr)
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    line = lines[0]
    assert line.startswith("plancheck") and named in line, line
    assert re.search(r"[\u4e00-\u9fff]{3}", line.replace(named, "")), line
    assert {word for word in english_words(line, named) if word not in own_words} == set(), line
    return line


def _missing(tmp: Path) -> Path:
    return tmp / "計畫.pdf"


def _empty(tmp: Path) -> Path:
    (tmp / "empty.txt").write_bytes(b"")
    return tmp / "empty.txt"


def _binary(tmp: Path) -> Path:
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 64)
    return tmp / "binary.txt"


def _excel_97(tmp: Path) -> Path:
    """An OLE2 container without a Word stream (as an Excel 97–2003 workbook is)."""
    data = (FIXTURES / "000.doc").read_bytes()
    word = "WordDocument".encode("utf-16-le")
    (tmp / "budget.xls").write_bytes(data.replace(word, "Workbook".encode("utf-16-le").ljust(len(word), b"\0")))
    return tmp / "budget.xls"


def _undecodable(tmp: Path) -> Path:
    (tmp / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "計畫".encode("utf-8") + b"\xff\xfe\xfa")
    return tmp / "bom.txt"


def _fixture(name: str) -> Callable[[Path], Path]:
    return lambda tmp: FIXTURES / name


def _scan(name: str) -> Callable[[Path], Path]:
    return lambda tmp: SCANS / name


KINDS = {  # kind: (file maker, global options, a word of the reason)
    "missing": (_missing, (), "找不到"),
    "empty": (_empty, (), "空的"),
    "binary": (_binary, (), "二進位"),
    "bad encoding": (_undecodable, (), "編碼"),
    "unsupported format": (_excel_97, (), "不是 plancheck 能讀的計畫格式"),
    "corrupt PDF": (_fixture("truncated.pdf"), (), "損壞"),
    "corrupt DOCX": (_fixture("corrupt.docx"), (), "損壞"),
    "encrypted PDF": (_fixture("encrypted.pdf"), (), "密碼"),
    "zip bomb": (_fixture("zipbomb.docx"), (), "壓縮炸彈"),
    "scanned PDF, --no-ocr": (_scan("001_300.pdf"), ("--no-ocr",), "文字層"),
    "page image, --no-ocr": (_scan("003_p3.png"), ("--no-ocr",), "文字辨識已關閉"),
}


@pytest.mark.parametrize("command", SINGLE_FILE_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_file_gets_one_chinese_line_from_every_command(cli, tmp_path, command, kind):
    make, options, reason = KINDS[kind]
    path = make(tmp_path)
    args = [arg.format(db=tmp_path / "corpus.sqlite") for arg in command]
    result = cli(*options, args[0], str(path), *args[1:])
    line = assert_one_chinese_line(result, str(path))
    assert reason in line, line


def test_the_batch_gives_the_same_reasons(cli, tmp_path):
    """check --out: each unreadable file's line in the batch gives the reason
    the single-file commands give (the batch may allow larger files)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    made = []
    for kind, (make, options, _) in KINDS.items():
        if options or kind in ("missing", "unsupported format"):  # the batch looks only at plan files that exist
            continue
        path = make(inbox)
        if path.parent != inbox:
            (inbox / path.name).write_bytes(path.read_bytes())
        made.append(inbox / path.name)
    batch = cli("check", str(inbox), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert batch.returncode == 1
    lines = [line for line in batch.stderr.splitlines() if line.strip()]
    assert len(lines) == len(made), batch.stderr
    for path in made:
        single = assert_one_chinese_line(cli("extract", str(path)), str(path))
        (line,) = [line for line in lines if str(path) in line]
        assert line.split("（")[0] == single.split("（")[0], (line, single)


@pytest.mark.parametrize("command", ["search", "index", "export-bulk"])
@pytest.mark.parametrize("content, reason", [(b"", "空的"), ("這是筆記，不是資料庫。".encode() * 20, "不是 plancheck 語料庫"),
                                             (None, "資料夾")], ids=["empty", "foreign", "folder"])
def test_a_bad_db_gets_one_chinese_line(cli, tmp_path, command, content, reason):
    db = tmp_path / "corpus.sqlite"
    if content is None:
        db.mkdir()
    else:
        db.write_bytes(content)
    args = {"search": ["電話"], "index": [str(SAMPLES[0])], "export-bulk": []}[command]
    line = assert_one_chinese_line(cli(command, *args, "--db", str(db)), str(db))
    assert reason in line, line


@pytest.mark.parametrize("args, named", [
    (("check", "x.txt", "--jobs", "100000"), "--jobs"),
    (("check", "x.txt", "--jobs", "-1"), "--jobs"),
    (("check", "x.txt", "--fail-on", "all"), "--fail-on"),
    (("search", "電話", "--limit", "many"), "--limit"),
    (("search", "電話", "--limit", "1" + "0" * 30), "--limit"),
    (("search", "電話", "--year", "1" + "0" * 30), "年度"),
    (("search", "電話", "--offset", "-5"), "--offset"),
    (("serve", "--port", "70000"), "--port"),
    (("export-bulk", "--chunk-size", "0"), "--chunk-size"),
    (("check", "x.txt", "--jobz", "2"), "--jobz"),
    (("check",), "FILES"),
    (("search", "電話", "--limit"), "--limit"),
    (("debug", "x.txt", "--step", "rows"), "rows"),
    (("no-such-command",), "no-such-command"),
], ids=lambda value: value if isinstance(value, str) else " ".join(value)[:40])
def test_a_bad_option_gets_one_chinese_line(capsys, sample_db, args, named):
    """Out of range, not a number, not a choice, unknown, missing: exit 2 with
    the option named and the rule in Chinese (click's own text is English).
    Through plancheck.cli.main, the installed command's entry point."""
    from plancheck.cli import main

    code = main([*args, "--db", str(sample_db)] if args[0] == "search" else list(args))
    captured = capsys.readouterr()
    assert_one_chinese_line(_Result(code, captured.err), named, codes=(2,))


class _Result:
    def __init__(self, returncode: int, stderr: str) -> None:
        self.returncode, self.stderr = returncode, stderr


def test_the_worker_crash_reason_is_one_sentence_for_check_and_index():
    from plancheck import batch, executors

    assert batch._crashed(batch.Task("a.txt", "a")).failure.reason == executors.WORKER_CRASHED
    assert english_words(executors.WORKER_CRASHED, "") == set()


def test_english_words_are_found():
    assert english_words("plancheck: a.pdf: no such file", "a.pdf") == {"no", "such", "file"}
    assert english_words("plancheck: a.pdf: 檔案已損壞（壓縮檔損壞：BadZipFile）", "a.pdf") == set()


@pytest.mark.parametrize("text, line, field", [
    ("name: x\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY: {bar: -1}\n", 4, "thresholds.PHONE-TEST-QUARTERLY.bar"),
    ("items:\n  - id: A\n", 1, "name"),
    ("name: x\nextends: nosuch\n", 2, "extends"),
    ("name: x\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY:\n    limit: 3\n", 5, "thresholds.PHONE-TEST-QUARTERLY.limit"),
    ("name: x\nextends: default\nitemz: []\n", 3, "itemz"),
    ("name: x\nextends: default\nselect: [NO-SUCH-ITEM]\n", 3, "select.0"),
    ("name: x\nextends: default\nselect: [FAQ\n", 4, ""),
    ("name: x\nextends: default\nextends: default\n", 3, "extends"),
    ("- a list\n", None, ""),
], ids=["bar below zero", "no name", "unknown base", "unknown parameter", "misspelt key", "unknown item", "YAML syntax",
        "duplicate key", "not a mapping"])
def test_a_bad_profile_gets_one_chinese_line(cli, tmp_path, text, line, field):
    """A profile a secretariat writes (--profile FILE): file:line: field: a Chinese reason, exit 2."""
    profile = tmp_path / "我的設定.yaml"
    profile.write_text(text, encoding="utf-8")
    result = cli("check", str(SAMPLES[0]), "--profile", str(profile))
    where = f"{profile}:{line}" if line else str(profile)
    named = f"{where}: {field}" if field else where
    default = (ROOT / "checks" / "data" / "profiles" / "default.yaml").read_text(encoding="utf-8")  # its rule kinds
    assert_one_chinese_line(result, named, codes=(2,), own_words=text + default)
