"""Year mentions relative to the fiscal year."""

from __future__ import annotations

import pytest

from rules import normalize_th
from rules._thaidate import year_pattern


@pytest.mark.parametrize(
    "text",
    [
        "ปีงบประมาณ พ.ศ. ๒๕๖๖",
        "ประกาศ ณ วันที่ 15 มีนาคม 2566",
        "15 มี.ค. 66",
        "๑ ต.ค. ๖๖",
        "ปีงบ 66",
        "1/3/66",
        "พ.ศ.66",
        "มีค 66",
    ],
)
def test_mentions_2566(text: str) -> None:
    assert year_pattern(2566).search(normalize_th(text))


@pytest.mark.parametrize(
    "text", ["ปี 2565", "มีผู้เข้าร่วม 166 คน", "25660", "โทร 0-4405-6622", "ลำดับที่ 66"]
)
def test_does_not_mention_2566(text: str) -> None:
    assert not year_pattern(2566).search(normalize_th(text))
