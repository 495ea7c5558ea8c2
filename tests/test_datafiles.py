"""Every YAML data file goes through one loader (models.datafile): a broken
copy of each kind of file is refused with one line, file:line: key: reason,
pointing at the line that was broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks import frameworks as framework_module
from checks import load_profile
from checks.frameworks import FRAMEWORK_DIR, Framework, load_frameworks
from checks.profiles import PROFILE_DIR
from extractor.columns import DATA_FILE as COLUMNS, ColumnWords
from models.datafile import DataError, load
from normalizers import DATA_DIR
from normalizers.schemas import CharFolds, KeepWords, Synonyms, UnitAliases
from normalizers.terms import read_userdict


def _broken(source: Path, target: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of a shipped data file with ``old`` replaced by ``new``, and the
    line ``new`` starts on."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    changed = text.replace(old, new, 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(changed, encoding="utf-8")
    return target, changed[: changed.index(new)].count("\n") + 1


def _message(call) -> str:
    with pytest.raises(DataError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("name, model", [
    ("columns.yaml", ColumnWords), ("folds.yaml", CharFolds), ("s2twp_keep.yaml", KeepWords),
    ("synonyms.yaml", Synonyms), ("unit_aliases.yaml", UnitAliases),
])
def test_shipped_files_load(name, model):
    load(COLUMNS if name == "columns.yaml" else DATA_DIR / name, model)


@pytest.mark.parametrize("source, model, old, new, key", [
    (COLUMNS, ColumnWords, "  benefit: [預期效益", "  benefits: [預期效益", "roles.benefits"),
    (COLUMNS, ColumnWords, "  results: [執行成果", "  results: [完成期限", "roles.results.0: header word '完成期限' is listed under both deadline and results"),
    (COLUMNS, ColumnWords, "  schedule: [作業時程", "  timetable: [作業時程", "annex_titles.timetable"),
    (COLUMNS, ColumnWords, "  results: [執行成果", "  benefit: [執行成果", "roles.benefit"),
    (COLUMNS, ColumnWords, "scoring_headers: [", "scoring_header: [", "scoring_header"),
    (DATA_DIR / "folds.yaml", CharFolds, "  値: 值", "  値値: 值", "variants.値値"),
    (DATA_DIR / "unit_aliases.yaml", UnitAliases, '  - "各.{1,6}"', "  - '(['", "shared_patterns.0"),
    (DATA_DIR / "s2twp_keep.yaml", KeepWords, "words:", "word:", "word"),
    (DATA_DIR / "synonyms.yaml", Synonyms, "  - [一次告知, 一次完整告知]", "  - [一次告知]", "groups.8"),
    (DATA_DIR / "unit_aliases.yaml", UnitAliases, "  人力資源組: [人資組]", "  人力資源組: 人資組", "units.人力資源組"),
])
def test_broken_data_file_names_file_line_and_key(tmp_path, source, model, old, new, key):
    path, line = _broken(source, tmp_path / source.name, old, new)
    message = _message(lambda: load(path, model))
    assert message.startswith(f"{path}:{line}: {key}" + ("" if ": " in key else ": ")), message


def test_a_bad_annex_pattern_is_refused_at_its_line(tmp_path):
    path, line = _broken(COLUMNS, tmp_path / "columns.yaml", "  other: ['^附件'", "  other: ['^附件(['")
    message = _message(lambda: load(path, ColumnWords))
    assert message.startswith(f"{path}:{line}: annex_titles.other.0: '^附件([' is not a regular expression"), message


def test_yaml_syntax_error_names_its_line(tmp_path):
    path, line = _broken(COLUMNS, tmp_path / "columns.yaml", "  strategy: [執行策略,", "  strategy: [執行策略,,]\n  x: [")
    assert _message(lambda: load(path, ColumnWords)).startswith(f"{path}:{line}: YAML 格式錯誤")


def test_profile_with_an_unknown_key(tmp_path):
    path, line = _broken(PROFILE_DIR / "default.yaml", tmp_path / "default.yaml", "    subject_label: 標準作業流程",
                         "    subject_labels: 標準作業流程")
    message = _message(lambda: load_profile(path))
    assert message.startswith(f"{path}:{line}: items.0.rule.subject_labels: 不認得的欄位"), message


def _frameworks_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    folder = tmp_path / "frameworks"
    shutil.copytree(FRAMEWORK_DIR, folder)
    return _broken(FRAMEWORK_DIR / name, folder / name, old, new)


def test_framework_with_a_wrong_year(tmp_path):
    path, line = _frameworks_with(tmp_path, "F2.yaml", "years: {from: 106}", "years: {from: soon}")
    message = _message(lambda: load_frameworks(path.parent))
    assert message.startswith(f"{path}:{line}: years.from: "), message


def test_crosswalk_to_names_a_known_framework(tmp_path):
    path, line = _frameworks_with(tmp_path, "F1.yaml", "  to: F2\n", "  to: F9\n")
    message = _message(lambda: load_frameworks(path.parent))
    assert message.startswith(f"{path}:{line}: crosswalk.to: 'F9' is not a framework"), message


def test_crosswalk_targets_are_dimensions_of_its_to_framework(tmp_path):
    # 服務流程 is F1's own sub-item: a target must be one of F2's, the framework `to` names.
    path, line = _frameworks_with(tmp_path, "F1.yaml", "to: [基礎服務/服務友善]}", "to: [基礎服務/服務友善, 優質便民服務/服務流程]}")
    message = _message(lambda: load_frameworks(path.parent))
    assert message.startswith(f"{path}:{line}: crosswalk.entries.1.to.1: 「優質便民服務/服務流程」 is not a dimension of F2"), message


def test_crosswalk_sources_are_dimensions_of_its_own_framework(tmp_path):
    path, line = _frameworks_with(tmp_path, "F1.yaml", "{from: 優質便民服務/機關形象,", "{from: 優質便民服務/形象,")
    message = _message(lambda: load_frameworks(path.parent))
    assert message.startswith(f"{path}:{line}: crosswalk.entries.1.from: 「優質便民服務/形象」"), message


def test_crosswalk_maps_into_the_framework_it_names(monkeypatch):
    """The crosswalk's targets are read in the framework its `to` names; the
    current framework is asked for only when there is no crosswalk entry."""
    from checks import mapping
    from models import Measure

    f1 = framework_module.frameworks()["F1"]
    measure = Measure(id="m1", path=["一、優質便民服務", "(一)服務流程"], number="1.", text="提供案件處理查詢管道及一次告知。")
    monkeypatch.setattr(mapping, "current_framework", lambda: pytest.fail("current framework asked for"))
    result = mapping.map_measure(measure, f1, f1.schemes[0])
    assert result.current_via == "crosswalk" and result.current_dimension in {"基礎服務", "服務遞送"}


def test_duplicate_keys_are_refused(tmp_path):
    path, line = _broken(COLUMNS, tmp_path / "columns.yaml", "  benefit: [預期效益", "  strategy: [預期效益")
    message = _message(lambda: load(path, ColumnWords))
    assert message.startswith(f"{path}:{line}: roles.strategy: 鍵重複"), message


def test_userdict_line_names_file_line_and_field(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("# terms\n單一窗口\n主動公開 很多\n", encoding="utf-8")
    assert _message(lambda: read_userdict(path)).startswith(f"{path}:3: freq: ")


def test_framework_model_is_the_loaders():
    assert load(FRAMEWORK_DIR / "F1.yaml", Framework).crosswalk.to == "F2"
