"""What a person is shown instead of internal codes, on the web page and in the
command line's tables: Chinese names of verdicts, formats, extraction states,
mandated items, frameworks and facets, file names and locations.

The catalogue, the framework table and the report wording are loaded on first
use: `plancheck search --json` imports this module's users without needing them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models import Location

STATUS_NAMES = {"present": "符合", "partial": "部分符合", "missing": "未見", "not_applicable": "不適用"}
EXTRACTION_NAMES = {"ok": "完整擷取", "partial": "部分擷取", "failed": "擷取失敗"}
# One per reader in extractor.readers.FORMATS (their labels are English).
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word 文件", "odt": "ODF 文字文件", "html": "網頁", "text": "純文字",
                "xlsx": "Excel 活頁簿", "ods": "ODF 試算表", "csv": "CSV 表格", "doc": "Word 97–2003 文件",
                "wps": "WPS 文件", "rtf": "RTF 文件", "zip": "壓縮檔"}
# One per corpus.search.FACETS.
FACET_NAMES = {"agency": "機關", "roc_year": "年度（民國）", "dimension": "面向", "item": "必辦項目", "unit": "承辦單位"}


def _profile_item_names() -> dict[str, str]:
    from checks import load_profile

    return {item.id: item.name for item in load_profile("default").items}


@lru_cache(maxsize=1)
def _item_names() -> dict[str, str]:
    # Kept between runs (models.datacache): a search's table would otherwise
    # import every check and parse the whole catalogue for a few titles. Any
    # edit to a profile or to its loader reads and validates it again.
    from importlib.util import find_spec

    from models.datacache import derived

    spec = find_spec("checks")  # its folder, without running the package
    checks_dir = Path(spec.origin if spec and spec.origin else "").parent
    profiles = sorted((checks_dir / "data" / "profiles").glob("*.yaml"))
    return derived("item-names", profiles, [checks_dir / "profiles.py", Path(__file__)], _profile_item_names)


def item_name(item_id: str) -> str:
    """The mandated item's title (電話禮貌測試（每 3 個月至少 1 次）), or its ID
    when the profile does not know it."""
    return _item_names().get(item_id, item_id)


def status_name(status: str) -> str:
    """符合, 部分符合, 未見 or 不適用 for a verdict's status."""
    return STATUS_NAMES.get(status, status)


def framework_name(framework_id: str | None) -> str:
    if not framework_id:
        return ""
    from library import framework_name as programme_name

    return programme_name(framework_id) or framework_id


def format_name(source_format: str) -> str:
    return FORMAT_NAMES.get(source_format, source_format)


def file_name(path: str) -> str:
    return PurePath(path).name


def location_text(location: Location | dict) -> str:
    """第 3 頁 第 120 行 from a Location or its dict (the report's wording)."""
    from outputs.location import place_text

    get = location.get if isinstance(location, dict) else lambda name: getattr(location, name)
    return place_text(get("page"), get("line"), get("row"))
