"""Validated data kept between runs (models.datacache, models.datafile.load_cached):
a second run builds the same model from the cache without parsing or
validating, an edited file is validated again and its error reported as
before, and a broken or unwritable cache only costs the time it saves."""

from __future__ import annotations

import os
import shutil

import pytest

from models import datacache, datafile
from models.datafile import DataError, load, load_cached
from normalizers import DATA_DIR
from normalizers.schemas import CharFolds, Synonyms


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "plancheck" / "data"


@pytest.fixture
def folds(tmp_path):
    path = tmp_path / "folds.yaml"
    shutil.copyfile(DATA_DIR / "folds.yaml", path)
    return path


def _no_parsing(monkeypatch) -> list:
    """Make any YAML read fail the test, and count attempts."""
    reads: list = []

    def refuse(path):
        reads.append(path)
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(datafile, "read_yaml", refuse)
    return reads


@pytest.mark.parametrize("name, model", [("folds.yaml", CharFolds), ("synonyms.yaml", Synonyms)])
def test_a_second_run_builds_the_same_model_without_parsing(name, model, cache, tmp_path, monkeypatch):
    path = tmp_path / name
    shutil.copyfile(DATA_DIR / name, path)
    first = load_cached(path, model)
    assert first == load(path, model)
    assert len(list(cache.glob("*.json"))) == 1
    reads = _no_parsing(monkeypatch)
    again = load_cached(path, model)
    assert again == first and type(again) is model
    assert reads == []


def test_an_edited_file_is_validated_again_and_its_error_reported(cache, folds, monkeypatch):
    load_cached(folds, CharFolds)
    text = folds.read_text(encoding="utf-8")
    folds.write_text(text.replace("  値: 值", "  値: 值值"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_cached(folds, CharFolds)
    assert str(caught.value).startswith(f"{folds}:")  # file:line: key: reason, as without the cache
    assert "值值" in str(caught.value)
    with pytest.raises(DataError):  # a broken file is never stored: it fails on every run
        load_cached(folds, CharFolds)
    (first,) = cache.glob("*.json")
    folds.write_text(text.replace("  値: 值", "  値: 價"), encoding="utf-8")
    assert load_cached(folds, CharFolds).variants["値"] == "價"
    assert len(list(cache.glob("*.json"))) == 2  # another checkout may still use the first version
    week_ago = first.stat().st_mtime - datacache.STALE_SECONDS - 60  # a file date, not a clock reading
    os.utime(first, (week_ago, week_ago))
    folds.write_text(text.replace("  値: 值", "  値: 償"), encoding="utf-8")
    assert load_cached(folds, CharFolds).variants["値"] == "償"
    assert len(list(cache.glob("*.json"))) == 2 and not first.exists()  # a version written over a week ago is removed


def test_a_changed_loader_misses_the_cache(cache, tmp_path):
    data, loader = tmp_path / "data.txt", tmp_path / "loader.py"
    data.write_text("a", encoding="utf-8")
    loader.write_text("v1", encoding="utf-8")
    built = []

    def build():
        built.append(1)
        return {"n": len(built)}

    assert datacache.derived("thing", [data], [loader], build) == {"n": 1}
    assert datacache.derived("thing", [data], [loader], build) == {"n": 1}
    loader.write_text("v2", encoding="utf-8")
    assert datacache.derived("thing", [data], [loader], build) == {"n": 2}
    assert len(built) == 2


def test_a_corrupt_or_unwritable_cache_is_rebuilt_not_fatal(cache, folds, tmp_path, monkeypatch):
    expected = load(folds, CharFolds)
    load_cached(folds, CharFolds)
    (stored,) = cache.glob("*.json")
    stored.write_text('{"variants": ', encoding="utf-8")  # cut short
    assert load_cached(folds, CharFolds) == expected
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    assert load_cached(folds, CharFolds) == expected


def test_a_missing_file_is_reported_as_without_the_cache(cache, tmp_path):
    with pytest.raises(DataError, match="檔案不存在"):
        load_cached(tmp_path / "none.yaml", CharFolds)
