"""The locations component: an administrative unit word and the place it names, with the
unit's type — and where the place ends when a person's name follows it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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
    # Districts the gazetteer knows end where they should, before a name or a lower-case word.
    ("Đoàn làm việc tại huyện Si Ma Cai và huyện Cù Lao Dung.",
     [("huyện Si Ma Cai", "huyện", "Si Ma Cai"), ("huyện Cù Lao Dung", "huyện", "Cù Lao Dung")]),
    ("Chủ tịch UBND huyện Mỹ Lộc Trần Quang Vinh chủ trì.", [("huyện Mỹ Lộc", "huyện", "Mỹ Lộc")]),
    ("Phó Bí thư Thị ủy, Chủ tịch UBND thị xã Cửa Lò Vương Quang Minh dự.",
     [("thị xã Cửa Lò", "thị xã", "Cửa Lò")]),
    ("Giám đốc Sở Y tế Vũ Quang Hải cho biết.", []),
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


PLACES = Path(__file__).resolve().parents[2] / "rules" / "places" / "places.tsv"
# Old-style tone placement ("Hoà", "Thuỵ"); the gazetteer writes "Hòa", "Thụy" like the articles' NFC text.
_OLD_TONES = re.compile(r"(?:[oO][àáảãạèéẻẽẹ]|(?<![qQ])[uU][ỳýỷỹỵ])(?!\w)")  # "Quý" is modern


def test_places_file_is_one_typed_name_a_line():
    """Every district-level row: NFC, modern tone placement, a known type, no name twice."""
    text = PLACES.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    names = [row[0] for row in rows]
    assert all(len(row) == 2 and row[1] in {"quận", "huyện", "thị xã", "thành phố"} for row in rows)
    assert len(names) == len(set(names)) >= 600
    assert [name for name in names if _OLD_TONES.search(name)] == []


def test_places_leave_out_districts_that_open_people_names():
    """A family name + usual middle name ("Vũ Quang Hải") must stay a person after a post."""
    names = {line.split("\t")[0] for line in PLACES.read_text(encoding="utf-8").splitlines() if "\t" in line}
    assert {"Cô Tô", "Mỹ Lộc", "Si Ma Cai", "Điện Biên Phủ"} <= names
    assert not names & {"Vũ Quang", "Hà Trung", "Châu Thành", "Châu Đức", "Đồng Văn", "Đồng Xuân"}
