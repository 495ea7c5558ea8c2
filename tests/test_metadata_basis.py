"""The basis documents (計畫依據) of the sample plans: the document number is
the issuer's 字號, never starting with the 日 of a date written before it."""

from __future__ import annotations

import pytest

from corpus import samples_folder
from extractor import extract
from extractor.metadata import find_basis
from models import Section

# Every dated basis line of the five samples, with its number and date as written.
SAMPLE_BASIS = {
    "000_c9ab90e6d2d4423d.txt": [("經研字第10404507390號", "2015-08-25")],
    "001_dc73fa876cd20475.txt": [("院授研展字第09600152471號", "2007-07-23"), ("經研字第10204500360號", "2013-01-14"),
                                 ("經水秘字第10253011050號", "2013-01-22")],
    "003_b8edc63295c616bd.txt": [("院授發社字第1061300008號", "2017-01-09"), ("發社字第1071300028號", "2018-01-15")],
    "004_3bdb734e2070ee73.txt": [("電業字第1120005173號", "2023-02-18")],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_BASIS))
def test_sample_basis_numbers(name):
    plan = extract(samples_folder() / name)
    dated = [(b.doc_number, b.date) for b in plan.basis if b.date]
    assert dated == SAMPLE_BASIS[name]


@pytest.mark.parametrize("line, number", [
    ("經濟部104年8月25日經研字第10404507390號函修正「經濟部提升服務品質實施計畫」。", "經研字第10404507390號"),
    ("依112年2月18日電業字第1120005173號函頒之計畫訂定。", "電業字第1120005173號"),
    ("本府 105 年 3 月府授研字第 1050012345 號函。", "府授研字第1050012345號"),
    ("依據本府112年1月5日府授研字第1120000123號函辦理。", "府授研字第1120000123號"),
])
def test_number_after_a_date_or_alone(line, number):
    section = Section(number="一", title="計畫依據", text=line)
    assert find_basis([section])[0].doc_number == number
