"""Labels of automatic list numbering, shared by the Word and ODF readers.

Word and LibreOffice store a numbered paragraph's label as a format (decimal,
taiwaneseCountingThousand, "一, 二, 三, ...") and a template ("(%1)", prefix
"(" suffix ")"), not as text; the readers count the items and rebuild the
label so that a "(1)" the author saw is not lost."""

from __future__ import annotations

from dataclasses import dataclass, field

_DIGITS = "〇一二三四五六七八九"
_FORMAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_number(value: int, digits: str = _DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """一 … 九十九 … 九百九十九, the way plans number headings.

    >>> chinese_number(12), chinese_number(20), chinese_number(105)
    ('十二', '二十', '一百零五')
    """
    if value <= 0:
        return str(value)
    if value < 10:
        return digits[value]
    if value < 20:
        return ten + (digits[value - 10] if value > 10 else "")
    if value < 100:
        tens, ones = divmod(value, 10)
        return digits[tens] + ten + (digits[ones] if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        zero = "零" if digits == _DIGITS else digits[0]  # 一百零五: a skipped place is read 零
        tail = "" if rest == 0 else (zero + chinese_number(rest, digits, ten, hundred) if rest < 10
                                     else (digits[1] if rest < 20 else "") + chinese_number(rest, digits, ten, hundred))
        return digits[hundreds] + hundred + tail
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for number, letters in numerals:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def _letters(value: int) -> str:
    # Word's a … z, aa … zz
    if value <= 0:
        return str(value)
    letter = chr(ord("a") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _cycle(symbols: str, value: int) -> str:
    return symbols[(value - 1) % len(symbols)] if value > 0 else str(value)


# Word numFmt values and ODF style:num-format values, one function per format.
FORMATS = {
    "decimal": str,
    "1": str,
    "decimalZero": lambda v: f"{v:02d}",
    "decimalFullWidth": lambda v: "".join(chr(0xFF10 + int(d)) for d in str(v)),
    "decimalEnclosedParen": lambda v: f"({v})",
    "decimalEnclosedCircle": lambda v: _cycle(_CIRCLED, v),
    "decimalEnclosedCircleChinese": lambda v: _cycle(_CIRCLED, v),
    "①, ②, ③, ...": lambda v: _cycle(_CIRCLED, v),
    "lowerLetter": _letters,
    "a": _letters,
    "upperLetter": lambda v: _letters(v).upper(),
    "A": lambda v: _letters(v).upper(),
    "lowerRoman": lambda v: _roman(v).lower(),
    "i": lambda v: _roman(v).lower(),
    "upperRoman": _roman,
    "I": _roman,
    "taiwaneseCountingThousand": chinese_number,
    "taiwaneseCounting": chinese_number,
    "chineseCounting": chinese_number,
    "chineseCountingThousand": chinese_number,
    "ideographDigital": lambda v: "".join(_DIGITS[int(d)] for d in str(v)),
    "一, 二, 三, ...": chinese_number,
    "ideographTraditional": lambda v: _cycle(_STEMS, v),
    "甲, 乙, 丙, ...": lambda v: _cycle(_STEMS, v),
    "ideographZodiac": lambda v: _cycle(_BRANCHES, v),
    "子, 丑, 寅, ...": lambda v: _cycle(_BRANCHES, v),
    "ideographLegalTraditional": lambda v: chinese_number(v, _FORMAL_DIGITS, "拾", "佰"),
    "chineseLegalSimplified": lambda v: chinese_number(v, _FORMAL_DIGITS, "拾", "佰"),
    "壹, 貳, 參, ...": lambda v: chinese_number(v, _FORMAL_DIGITS, "拾", "佰"),
}


def format_number(value: int, fmt: str) -> str:
    """One level's number in a numbering format; unknown formats fall back to digits.

    >>> format_number(3, "taiwaneseCountingThousand"), format_number(2, "ideographTraditional")
    ('三', '乙')
    """
    if fmt in ("none", "bullet", ""):
        return ""
    return FORMATS.get(fmt, str)(value)


@dataclass
class Counters:
    """Item counters of one list: one per level, deeper levels restart when a
    shallower one advances."""

    values: dict[int, int] = field(default_factory=dict)

    def advance(self, level: int, start: int, restart: int | None = None) -> dict[int, int]:
        if restart is not None:
            self.values[level] = restart
        elif level in self.values:
            self.values[level] += 1
        else:
            self.values[level] = start
        for deeper in [key for key in self.values if key > level]:
            del self.values[deeper]
        return self.values
