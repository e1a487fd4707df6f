"""The locations component: an administrative unit word and the place it names, with the
unit's type — and where the place ends when a person's name follows it."""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.facts.locations import LocationsComponent
from extractor.rules_loader import load_rules

CASES = [
    ("UBND quận Đồ Sơn họp.", [("quận Đồ Sơn", "quận", "Đồ Sơn")]),
    ("Chủ tịch UBND huyện Tiên Lãng Đào Minh Khôi phát biểu.", [("huyện Tiên Lãng", "huyện", "Tiên Lãng")]),
    ("Chủ tịch UBND TP Huế Phạm Văn Tùng phát biểu.", [("TP Huế", "thành phố", "Huế")]),
    ("Phó Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu dự.", [("tỉnh Bà Rịa - Vũng Tàu", "tỉnh", "Bà Rịa - Vũng Tàu")]),
    ("Công an phường 5, Quận 10 và thị trấn Cát Bà phối hợp.",
     [("phường 5", "phường", "5"), ("Quận 10", "quận", "10"), ("thị trấn Cát Bà", "thị trấn", "Cát Bà")]),
    ("Đoàn đến thăm xã Trà Tân, TP.HCM và đặc khu Phú Quốc.",
     [("xã Trà Tân", "xã", "Trà Tân"), ("TP.HCM", "thành phố", "HCM"), ("đặc khu Phú Quốc", "đặc khu", "Phú Quốc")]),
    ("Các xã, phường và thành phố đều hoàn thành; an sinh xã hội được bảo đảm.", []),
    ("Bí thư Chi bộ thôn Đông Hưng phát biểu.", []),
]


@pytest.fixture(scope="module")
def locations() -> LocationsComponent:
    return LocationsComponent(load_rules())


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_locations(locations, text, expected):
    found = locations(Document(text=text, rules=locations.rules))
    assert [(loc.text, loc.type, loc.name) for loc in found] == expected
    for loc in found:
        assert text[loc.start:loc.end] == loc.text
