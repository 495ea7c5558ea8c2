"""Quotes in reports: a quote cut inside its sentence says so with "…", and
no cut splits a number, a Latin word or a character from its marks."""

from __future__ import annotations

import re

import pytest

from checks import check_plan
from checks.matching import ELLIPSIS, clip, quote_around
from corpus import samples_folder
from library import read_plan

LONG = "甲" * 50 + "每3個月辦理電話禮貌測試1,200次並更新 Facebook 粉絲專頁" + "乙" * 60 + "。下一句。"


def test_a_whole_sentence_has_no_ellipsis():
    text = "提供電話禮貌測試。另一句。"
    assert quote_around(text, 2, 8) == "提供電話禮貌測試。"


def test_a_cut_sentence_ends_and_starts_with_an_ellipsis():
    start = LONG.index("電話")
    quote = quote_around(LONG, start, start + 6, 40)
    assert quote.startswith(ELLIPSIS) and quote.endswith(ELLIPSIS)
    assert "電話禮貌測試" in quote


@pytest.mark.parametrize("limit", range(20, 60))
def test_no_cut_splits_a_number_or_a_word(limit):
    start = LONG.index("電話")
    quote = quote_around(LONG, start, start + 6, limit).strip(ELLIPSIS)
    inside = LONG.index(quote)
    for cut in (inside, inside + len(quote)):
        pair = LONG[cut - 1:cut + 1]
        assert not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z,]|,[0-9]", pair), (limit, quote)


@pytest.mark.parametrize("limit", range(1, 16))
def test_clip(limit):
    text = "每年12.5次Facebook專頁"
    clipped = clip(text, limit)
    body = clipped.removesuffix(ELLIPSIS)
    assert clipped.endswith(ELLIPSIS) and text.startswith(body) and len(body) >= limit
    assert text[len(body) - 1:len(body) + 1] not in ("12", "2.", ".5", "Fa", "ok") and not re.fullmatch(r"[a-z]{2}", text[len(body) - 1:len(body) + 1])


def test_clip_keeps_a_variation_selector_with_its_character():
    text = "葛\U000e0100" * 6
    assert clip(text, 3) == "葛\U000e0100葛\U000e0100" + ELLIPSIS
    assert clip("短句", 10) == "短句"


@pytest.fixture(scope="module")
def sample_quotes():
    quotes = []
    for path in sorted(samples_folder().glob("*.txt")):
        plan = read_plan(path)
        texts = [m.text for m in plan.measures] + [s.text for s in plan.sections]
        for item in check_plan(plan).items:
            quotes += [(e.quote, texts) for e in item.evidence]
    return quotes


def test_sample_quotes_show_their_cuts(sample_quotes):
    cut = 0
    for quote, texts in sample_quotes:
        body = quote.removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)
        if quote.startswith(ELLIPSIS) or quote.endswith(ELLIPSIS):
            cut += 1
        source = next((t for t in texts if body in t), None)
        if source is None or len(body) < 20 or source.count(body) > 1:
            continue  # composed quotes (「…（完成期限：…）」) are not verbatim; short ones are ambiguous
        at = source.index(body)
        end = at + len(body)
        for position in (at, end):
            pair = source[max(position - 1, 0):position + 1]
            assert not re.fullmatch(r"[0-9A-Za-z]{2}", pair), quote
    assert cut > 10  # the samples do have long sentences cut
