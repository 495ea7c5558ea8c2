"""normalizers.units: units cells split, aliases folded, shared owners apart."""

from __future__ import annotations

import pytest

from normalizers.units import canonical_unit, fold_units, is_shared_owner, split_units


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("業務組 總務組", ["業務組", "總務組"]),  # seed 004
        ("業務組、總務組", ["業務組", "總務組"]),
        ("業務組\n總務組\n資訊組", ["業務組", "總務組", "資訊組"]),  # stacked lines
        ("承辦人<br><br>承辦人", ["承辦人"]),  # seed 003, markdown cell
        ("<p>全體同仁</p> <p>承辦人</p>", ["全體同仁", "承辦人"]),  # seed 003, HTML cell
        ("業務組 北客服 業務組 業務組", ["業務組", "北客服"]),  # seed 004
        ("業務組/電費組", ["業務組", "電費組"]),
        ("業務組及總務組", ["業務組", "總務組"]),
        ("秘書室(主辦)、人事室(協辦)", ["秘書室", "人事室"]),
        ("人事及會計室", ["人事及會計室"]),  # 人事 is no unit name of its own
    ],
)
def test_split_units(cell: str, units: list[str]) -> None:
    assert split_units(cell) == units


@pytest.mark.parametrize(
    ("name", "shared"),
    [("全體同仁", True), ("本所全體同仁", True), ("各部門", True), ("承辦人", True), ("各單位", True),
     ("各服務專員", True), ("各課室", True), ("相關單位", True),
     ("業務組", False), ("資訊組", False), ("督導室", False), ("北客服", False), ("各", False)],
)
def test_shared_owners(name: str, shared: bool) -> None:
    assert is_shared_owner(name) is shared


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("人資組", "人力資源組"), ("北客服", "北區客服中心"), ("研考會", "研究發展考核委員會"),
     ("本所全體同仁", "全體同仁"), ("承辦人員", "承辦人"), ("業務組", "業務組")],
)
def test_aliases(name: str, canonical: str) -> None:
    assert canonical_unit(name) == canonical


def test_fold_units_seed_004_cell() -> None:
    assert fold_units(["各部門 資訊組 督導室", "業務組 人資組"]) == (["資訊組", "督導室", "業務組", "人力資源組"], ["各部門"])
