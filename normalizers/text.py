"""Text cleanup: width folding, converter spaces, simplified input, matching keys.

Every function is pure and idempotent: f(f(x)) == f(x).

What ``normalize_text`` changes in Traditional text (nothing else, so a quote
from the normalized text still reads as the plan wrote it):
- full-width ASCII letters, digits, parentheses and symbols → half-width
  (Chinese punctuation ，。、「」；：！？ kept);
- spaces and line breaks a converter put between CJK characters, and next to a
  half-width parenthesis inside CJK text ("美 (綠) 化");
- half-width , ; : between Chinese words → ，；：, as a Chinese typesetter
  writes them (seed 000 came out of its converter with half-width commas);
- Kangxi radicals, compatibility ideographs and the radicals listed in
  data/folds.yaml → the ordinary ideograph (PDF font debris).
Simplified text (detected) is converted to Taiwan Traditional. The variant
folds (台/臺 …) are for matching keys only and never reach the text.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from models.datafile import validated
from normalizers import DATA_DIR
from normalizers.patterns import lazy

if TYPE_CHECKING:
    import opencc

# Han ideographs (BMP + extension A + compatibility) and CJK punctuation / full-width forms
# that behave like ideographs for spacing purposes.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7\u25a0-\u25ff\u2605\u2606"
CJK = _HAN + _CJK_PUNCT
_CJK_RE = lazy(f"[{_HAN}]")

# Chinese punctuation that stays full-width; every other full-width ASCII form folds.
KEEP_FULLWIDTH = set("，；：！？")

# Space between two CJK characters, or between CJK and CJK punctuation, is converter debris.
_SPACE_BETWEEN_CJK = lazy(f"(?<=[{CJK}])[ \\t\\r\\n\u3000]+(?=[{CJK}])")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t\u3000]+(?=[，。、；：！？」』）)】,;:])")
_SPACE_AFTER_OPEN = re.compile(r"(?<=[「『（(【])[ \t\u3000]+")
# "服務, 確保": half-width punctuation inside Chinese text takes no space after it.
_SPACE_AFTER_ASCII_PUNCT = lazy(f"(?<=[{_HAN}][,;:])[ \\t\u3000]+(?=[{CJK}])")
_NEWLINES = re.compile(r"\s*\n\s*")
_MULTISPACE = re.compile(r"[ \t\u3000]{2,}")


# One pass in C over a whole plan's text: a char-by-char join made an object of
# every CJK character (14 MB for a 200-page plan's body).
_HALFWIDTH = str.maketrans({"\u3000": " ", **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)
                                               if chr(code) not in KEEP_FULLWIDTH}})


def to_halfwidth(text: str) -> str:
    """Full-width ASCII letters, digits, parentheses and symbols to half-width;
    the ideographic space to a space. Chinese punctuation (，；：！？ and 。、「」)
    is kept."""
    return text.translate(_HALFWIDTH)


def remove_converter_spaces(text: str) -> str:
    """Remove the spaces and line breaks converters put between CJK characters,
    keep one space where CJK meets a Latin word or a number.

    >>> remove_converter_spaces("創新 加 值 服 務")
    '創新加值服務'
    >>> remove_converter_spaces("「台灣電力」App  申辦")
    '「台灣電力」App 申辦'
    """
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _NEWLINES.sub(" ", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _SPACE_AFTER_OPEN.sub("", text)
    text = _SPACE_AFTER_ASCII_PUNCT.sub("", text)
    text = _MULTISPACE.sub(" ", text)
    return text.strip()


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines of one paragraph: no space inside CJK text, one space
    between Latin words."""
    return remove_converter_spaces("\n".join(line.strip() for line in lines if line.strip()))


def clean_text(text: str) -> str:
    """The cleaned reading form of a text: converter debris removed, width kept
    as written. This is what the plan model stores as "text as written"."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return remove_converter_spaces(text)


@lru_cache(maxsize=None)
def char_folds() -> dict[str, dict[str, str]]:
    """data/folds.yaml as normalizers.schemas.CharFolds validates it."""
    return validated(DATA_DIR / "folds.yaml", "normalizers.schemas:CharFolds")


# str.translate tables of the folds: a whole document's text folds in one pass,
# where joining it char by char made an object of every CJK character (14 MB
# for a 200-page plan).
@lru_cache(maxsize=None)
def _radical_table() -> dict[int, str]:
    return str.maketrans(char_folds()["radicals"])


@lru_cache(maxsize=None)
def _key_table() -> dict[int, str | None]:
    # OpenCC reads a C string: everything after a NUL would be lost
    return str.maketrans({**char_folds()["variants"], "\x00": None})


# Kangxi radicals and compatibility ideographs: NFKC maps them to the ideograph.
_COMPAT_IDEOGRAPH = lazy("[\u2f00-\u2fdf\uf900-\ufaff]")
_SPACE_AROUND_PAREN = lazy(f"(?<=[{_HAN}])[ \\t]+(?=[(])|(?<=[)])[ \\t]+(?=[{_HAN}])|(?<=[(])[ \\t]+|[ \\t]+(?=[)])")
_ASCII_PUNCT_IN_CJK = lazy(f"(?<=[{_HAN}」』)])[,;:](?=[{_HAN}「『(])")
_FULLWIDTH_OF = {",": "，", ";": "；", ":": "："}


def fold_glyph_debris(text: str) -> str:
    """Radicals and compatibility ideographs a PDF font put in place of the
    ordinary ideograph (⾏ for 行): the same character to a reader, a different
    one to every matcher."""
    text = _COMPAT_IDEOGRAPH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text.translate(_radical_table())


def normalize_text(text: str) -> str:
    """The normalized form: cleaned, width folded, simplified input converted to
    Taiwan Traditional (see the module docstring for the full list).

    >>> normalize_text("進行環境美 (綠) 化及提供舒適、明亮,整潔")
    '進行環境美(綠)化及提供舒適、明亮，整潔'
    """
    text = fold_glyph_debris(to_halfwidth(clean_text(text)))
    if is_simplified(text):
        text = to_traditional(text)
    text = remove_converter_spaces(text)
    text = _SPACE_AROUND_PAREN.sub("", text)
    return _ASCII_PUNCT_IN_CJK.sub(lambda m: _FULLWIDTH_OF[m.group(0)], text)


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    import opencc  # on first use: a command that never folds text does not load it

    return opencc.OpenCC(config)


# Characters OpenCC's s2tw would change although Taiwanese Traditional text uses
# them every day (台 for 臺, 里 in 鄰里, …): they are no evidence of simplified text.
_TRADITIONAL_TOO = set("台里干后樑着秘群余志面系松游征范舍")


def simplified_ratio(text: str) -> float:
    """Share of Han characters that exist only in Simplified Chinese.

    Each distinct character is asked of OpenCC once per process: a plan has a
    few thousand distinct characters but may have millions in all (counted
    without a list of them all, which took 12 MB for a 200-page plan)."""
    han = Counter({ch: count for ch, count in Counter(text).items() if _CJK_RE.match(ch)})
    if not han:
        return 0.0
    simplified = sum(count for ch, count in han.items() if is_simplified_char(ch))
    return simplified / han.total()


@lru_cache(maxsize=None)
def is_simplified_char(ch: str) -> bool:
    """A Han character that Taiwanese Traditional text does not use (s2tw changes it)."""
    return ch not in _TRADITIONAL_TOO and _s2tw_characters().convert(ch) != ch


def is_simplified(text: str, threshold: float = 0.08) -> bool:
    return simplified_ratio(text) >= threshold


def _opencc_share() -> Path:
    """The installed OpenCC's configurations and dictionaries."""
    import opencc

    return Path(opencc.__file__).parent / "clib" / "share" / "opencc"


@lru_cache(maxsize=None)
def _s2tw_characters() -> opencc.OpenCC:
    """OpenCC's s2tw for one character at a time: its character tables
    without its phrase tables, which only a run of characters can match but
    which hold 40 MB in memory (a test checks every Han character converts as
    with s2tw). The configuration is written, read and removed."""
    import opencc

    share = _opencc_share()
    config = {
        "name": "s2tw, one character",
        "normalization": json.loads((share / "s2tw.json").read_text(encoding="utf-8"))["normalization"],
        "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "STCharacters.ocd2"}},
        "conversion_chain": [{"dict": {"type": "ocd2", "file": "STCharacters.ocd2"}},
                             {"dict": {"type": "ocd2", "file": "TWVariants.ocd2"}}],
    }
    _absolute_dict_paths(config, share)
    with tempfile.TemporaryDirectory(prefix="plancheck-opencc-") as folder:
        path = Path(folder) / "s2tw_characters.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        return opencc.OpenCC(str(path))


def _absolute_dict_paths(node: object, share: Path) -> None:
    if isinstance(node, dict):
        if "file" in node:
            node["file"] = str(share / node["file"])
        for value in node.values():
            _absolute_dict_paths(value, share)
    elif isinstance(node, list):
        for value in node:
            _absolute_dict_paths(value, share)


@lru_cache(maxsize=None)
def _plan_s2twp() -> opencc.OpenCC:
    """OpenCC's s2twp with the plan words of data/s2twp_keep.yaml put ahead of
    its Taiwan phrases. Built once per process from the installed s2twp.json,
    so it follows OpenCC's own dictionaries. OpenCC reads its configuration
    and the word list when the converter is made: the folder is removed then."""
    import opencc

    share = _opencc_share()
    config = json.loads((share / "s2twp.json").read_text(encoding="utf-8"))
    _absolute_dict_paths(config, share)
    from models.datafile import load
    from normalizers.schemas import KeepWords

    data = load(DATA_DIR / "s2twp_keep.yaml", KeepWords)
    pairs = {word: word for word in data.words} | data.taiwan
    with tempfile.TemporaryDirectory(prefix="plancheck-opencc-") as name:
        folder = Path(name)
        (folder / "keep.txt").write_text("".join(f"{word}\t{target}\n" for word, target in pairs.items()),
                                         encoding="utf-8")
        taiwan_phrases = config["conversion_chain"][1]["dict"]["dicts"]
        taiwan_phrases.insert(0, {"type": "text", "file": str(folder / "keep.txt")})
        (folder / "s2twp_plan.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        return opencc.OpenCC(str(folder / "s2twp_plan.json"))


def to_traditional(text: str) -> str:
    """Simplified to Taiwan Traditional with Taiwanese phrasing (OpenCC s2twp),
    keeping the plan words of data/s2twp_keep.yaml.

    >>> to_traditional("设置单一窗口，公开标准作业程序，网络申办")
    '設置單一窗口，公開標準作業程序，網路申辦'
    """
    return _plan_s2twp().convert(text)


def fold_key(text: str) -> str:
    """A matching key that folds width, variants (台/臺, 裡/裏, 著/着, and the
    ones in data/folds.yaml) and simplified/traditional forms, and drops
    whitespace. Internal only: it is Simplified Chinese and never shown to
    users.

    >>> fold_key("臺灣 電力") == fold_key("台灣電力") == fold_key("台湾电力")
    True
    """
    text = unicodedata.normalize("NFKC", fold_glyph_debris(text)).translate(_key_table())
    text = _converter("tw2s").convert(text)
    return re.sub(r"\s+", "", text).lower()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))
