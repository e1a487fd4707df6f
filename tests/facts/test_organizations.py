"""The organizations component: which bodies are found, where they end, how abbreviations are
spelled out — and what is not a body (an event's organizers, a document number, a school's
namesake read as a person)."""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.facts.officials.lexicon import load_lexicon
from extractor.facts.organizations import OrganizationsComponent, expand_abbreviations
from extractor.rules_loader import load_rules

# (text, [(organization as written, expanded)]) — expanded given only where it differs.
CASES = [
    ("Chiều 3/4, UBND quận Hải An làm việc với Sở Xây dựng.",
     [("UBND quận Hải An", "Ủy ban nhân dân quận Hải An"), ("Sở Xây dựng", None)]),
    ("Trưởng Ban Nội chính Thành ủy Lê Văn Phú phát biểu.", [("Ban Nội chính Thành ủy", None)]),
    ("Đại diện Sở Văn hóa, Thể thao và Du lịch và Ủy ban MTTQ Việt Nam tỉnh cùng dự.",
     [("Sở Văn hóa, Thể thao và Du lịch", None),
      ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")]),
    ("Công an TP.HCM đã phối hợp với Bộ Công an.",
     [("Công an TP.HCM", "Công an thành phố Hồ Chí Minh"), ("Bộ Công an", None)]),
    ("Ban Chỉ đạo phòng, chống dịch thành phố họp khẩn.",
     [("Ban Chỉ đạo phòng, chống dịch thành phố", None)]),
    ("Trường THPT Chu Văn An và Trường THCS Lê Lợi nhận cờ thi đua.",
     [("Trường THPT Chu Văn An", "Trường trung học phổ thông Chu Văn An"),
      ("Trường THCS Lê Lợi", "Trường trung học cơ sở Lê Lợi")]),
    ("Theo Quyết định số 12/QĐ-UBND, ban tổ chức hội thi đã trao giải tại Hội nghị.", []),
    ("Phó Chủ tịch Thường trực HĐND tỉnh chủ trì.", [("HĐND tỉnh", "Hội đồng nhân dân tỉnh")]),
    ("Ông Đoàn Văn Hậu, Bí thư Đảng ủy xã dự.", [("Đảng ủy xã", None)]),
    # a body named by a verb keeps its lower-case object; a verb after it does not join
    ("Cục Quản lý chất lượng cho biết Chi cục Kiểm lâm vùng II đã kiểm tra.",
     [("Cục Quản lý chất lượng", None), ("Chi cục Kiểm lâm vùng II", None)]),
    ("Sở Xây dựng kiểm tra công trình.", [("Sở Xây dựng", None)]),
    ("Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ phối hợp với Chi cục Thuế khu vực Sơn Trà - Ngũ Hành Sơn.",
     [("Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", None),
      ("Chi cục Thuế khu vực Sơn Trà - Ngũ Hành Sơn", None)]),
    ("Ủy ban Pháp luật của Quốc hội họp.", [("Ủy ban Pháp luật của Quốc hội", None)]),
    # every district's committee, and a venue after "tại", are not one body
    ("Hội nghị tại Trung tâm Hội nghị Quốc gia có đại diện UBND các quận, huyện.", []),
    ("Ông Lê Văn A, Giám đốc Trung tâm Hội nghị Quốc gia, cho biết.", [("Trung tâm Hội nghị Quốc gia", None)]),
    ("Hội nghị diễn ra tại Nhà Văn hoá xã Hòa Phong.", []),
]


@pytest.fixture(scope="module")
def organizations() -> OrganizationsComponent:
    return OrganizationsComponent(load_rules())


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_organizations(organizations, text, expected):
    found = organizations(Document(text=text, rules=organizations.rules))
    assert [(o.text, o.expanded if o.expanded != o.text else None) for o in found] == expected
    for org in found:
        assert text[org.start:org.end] == org.text


def test_expansion_uses_the_abbreviation_table():
    lexicon = load_lexicon(load_rules())
    assert expand_abbreviations("HĐND TP. Đà Nẵng", lexicon) == "Hội đồng nhân dân thành phố Đà Nẵng"
    assert expand_abbreviations("Sở GD&ĐT", lexicon) == "Sở Giáo dục và Đào tạo"


def test_a_users_body_word_is_used(tmp_path):
    text = "Hợp tác xã Tân Tiến ký hợp đồng."
    (tmp_path / "organizations").mkdir()
    (tmp_path / "organizations" / "bodies.tsv").write_text("Hợp tác xã\tnamed\n", encoding="utf-8")
    rules = load_rules(tmp_path)
    found = OrganizationsComponent(rules)(Document(text=text, rules=rules))
    assert [o.text for o in found] == ["Hợp tác xã Tân Tiến"]
