"""Every user-facing line of a report is Traditional Chinese: a Latin word in
any report format (headings, labels, verdicts, status and error lines) must
come from the plan itself (Facebook, Web 2.0 …), a file name or a code the
reports show on purpose (item IDs, finding codes, measure ids)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from checks import load_profile
from corpus import samples_folder

FORMATS = ("html", "md", "csv", "xlsx", "odt", "docx")
# Names and abbreviations a Chinese text uses as they are.
OWN_WORDS = {"plancheck", "PDF", "ODF", "OCR", "HTML", "UTF", "Word", "SHA", "ICT", "App", "ZIP"}
OWN_WORDS |= {item.id for item in load_profile("default").items}  # one-word item IDs: FAQ, PRIVACY …
# The catalogue's own terms (A+/AA 等級, Facebook as a cue word), quoted in reasons and requirements.
OWN_WORDS |= set(re.findall(r"[A-Za-z]{2,}", "".join(
    f"{i.name}{i.requirement}{i.source}{i.cue_terms}" for i in load_profile("default").items)))
_CONTENT_MEMBERS = re.compile(r"word/document\.xml|content\.xml|xl/worksheets/sheet\d+\.xml|xl/sharedStrings\.xml|xl/workbook\.xml")
_CODE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[a-z]\d+(?:-[a-z]*\d+)+|F\d)(?![A-Za-z0-9])")


def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".md":
        return html.unescape(data.decode("utf-8"))  # the markdown escapes & < > as entities
    if path.suffix == ".csv":
        return data.decode("utf-8-sig")
    if path.suffix == ".html":
        page = lxml_html.fromstring(data)
        for element in page.xpath("//style|//script"):
            element.drop_tree()
        return "\n".join(page.itertext())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        texts = []
        for name in archive.namelist():
            if _CONTENT_MEMBERS.fullmatch(name):
                root = etree.fromstring(archive.read(name))
                for defined in root.xpath("//*[local-name()='definedName']"):  # filter ranges, not text
                    defined.getparent().remove(defined)
                texts += list(root.itertext()) + root.xpath("//@name[parent::*[local-name()='sheet']]")
        return "\n".join(texts)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("language")
    plans = work / "plans"
    plans.mkdir()
    for sample in sorted(samples_folder().glob("*.txt")):
        shutil.copy(sample, plans / sample.name)
    (plans / "empty.txt").write_bytes(b"")
    (plans / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (plans / "prose.txt").write_text("本所年度計畫\n\n壹、計畫依據\n\n依函辦理。\n", encoding="utf-8")
    (plans / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\n")
    result = subprocess.run([sys.executable, "-m", "plancheck", "check", "plans", "--out", "out", "--format",
                             ",".join(FORMATS), "--jobs", "1"], cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr  # the three broken files (prose.txt is read down the ladder)
    source = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in plans.glob("*.txt"))
    return work / "out", source


def _foreign_words(text: str, source: str) -> set[str]:
    text = re.sub(r"[\w./\\-]*\.(?:txt|pdf|md|html|csv|xlsx|odt|docx|json)(?![A-Za-z])", " ", text)
    text = _CODE.sub(" ", re.sub(r"[0-9a-f]{16,}", " ", text))  # file names, codes, SHA-256
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    return {w for w in words if w not in OWN_WORDS and not re.search(rf"(?<![A-Za-z]){w}(?![A-Za-z])", source)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_have_no_english_of_their_own(reports, fmt):
    out, source = reports
    files = [out / f"summary.{fmt}", *sorted((out / "plans").glob(f"*.{fmt}"))]
    assert len(files) == 7  # the summary, five samples and prose.txt
    for path in files:
        assert not _foreign_words(_text(path), source), path.name


def test_failures_are_explained_in_chinese(reports):
    out, _ = reports
    summary = (out / "summary.md").read_text(encoding="utf-8")
    failures = summary[summary.index("無法讀取的檔案"):]
    for name in ("empty.txt", "binary.txt", "cut.pdf"):
        line = next(line for line in failures.splitlines() if name in line)
        assert re.search(r"[\u4e00-\u9fff]{4}", line.split("：", 1)[1]), line


def test_foreign_words_are_found():
    assert _foreign_words("結果 present；could not be processed", "") == {"present", "could", "not", "be", "processed"}
    assert _foreign_words("SOP-PUBLISHED 見 Facebook；plans/001_x.txt", "粉絲專頁 Facebook") == set()
