"""Canonical positions: variants of one post merge, distinct posts stay apart."""

import pytest

from extractor.research.positions import ArticleContext, PositionCanon


@pytest.fixture(scope="module")
def canon():
    return PositionCanon.for_rules()


@pytest.mark.parametrize("variants", [
    ["Bí thư Thành ủy TP.HCM", "Bí thư Thành ủy TPHCM", "bí thư thành ủy TP HCM", "Bí thư Thành ủy Thành phố Hồ Chí Minh",
     "Bí thư Thành uỷ TP. Hồ Chí Minh"],
    ["Chủ tịch UBND TP Hà Nội", "Chủ tịch UBND TP.Hà Nội", "Chủ tịch Ủy ban nhân dân thành phố Hà Nội",
     "chủ tịch UBND Hà Nội"],
    ["Phó Chủ tịch HĐND tỉnh Nghệ An", "Phó Chủ tịch Hội đồng nhân dân tỉnh Nghệ An", "phó chủ tịch HĐND Nghệ An"],
    ["Bộ trưởng Bộ Quốc phòng", "Bộ trưởng Quốc phòng", "bộ trưởng bộ quốc phòng"],
    ["Chủ tịch Quốc hội", "Chủ tịch Quốc hội (QH)"],
    ["Thủ tướng", "Thủ tướng Chính phủ", "thủ tướng chính phủ"],
])
def test_variants_of_one_post_share_a_key(canon, variants):
    keys = {canon.position(v).key for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize("a, b", [
    ("Chủ tịch UBND tỉnh Hà Giang", "Chủ tịch UBND tỉnh Hà Giang cũ"),
    ("Bí thư Tỉnh ủy Tuyên Quang", "Bí thư Tỉnh ủy Tuyên Quang mới"),
    ("Chủ tịch UBND tỉnh Hà Giang", "nguyên Chủ tịch UBND tỉnh Hà Giang"),
    ("Chủ tịch UBND thành phố Hải Phòng", "Chủ tịch UBND thành phố Hải Dương"),
    ("Thủ tướng Chính phủ", "Phó Thủ tướng Chính phủ"),
    ("Bí thư Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Bí thư Thành ủy TP.HCM"),
])
def test_distinct_posts_stay_apart(canon, a, b):
    assert canon.position(a).key != canon.position(b).key


def test_qualifiers_are_marked(canon):
    former = canon.position("Nguyên Phó Giám đốc Sở Y tế tỉnh Cà Mau")
    assert former.former and former.province == "Cà Mau" and former.canonical.startswith("nguyên ")
    old = canon.position("Chủ tịch UBND tỉnh Hà Giang cũ")
    assert old.qualifier == "old" and not old.former and old.province == "Hà Giang"
    assert canon.position("Bí thư Tỉnh ủy Tuyên Quang mới").qualifier == "new"
    # A body named after a person is no place: the Youth Union's secretary is not Hồ Chí Minh City's.
    assert canon.position("Bí thư Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh").province is None


def test_implicit_place_from_the_portal(canon):
    haiphong = canon.context({"id": "x", "site": "haiphong.gov.vn"})
    assert haiphong.portal is not None and haiphong.portal.name == "Hải Phòng"
    filled = canon.position("Chủ tịch UBND thành phố", haiphong)
    assert filled.key == canon.position("Chủ tịch UBND TP Hải Phòng").key
    assert filled.province == "Hải Phòng" and filled.filled == "portal"
    # District sites belong to the city too.
    assert canon.context({"id": "x", "url": "https://kienan.haiphong.gov.vn/tin/1"}).portal.name == "Hải Phòng"
    # "tỉnh" on a city's portal is some province's, not the city's: left as written.
    assert canon.position("Phó Chủ tịch UBND tỉnh", haiphong).province is None
    # A province's portal does not make a bare "thành phố" certain (it may be the provincial city).
    nghean = canon.context({"id": "x", "site": "nghean.gov.vn"})
    assert canon.position("Chủ tịch UBND thành phố", nghean).province is None
    assert canon.position("Bí thư Tỉnh ủy", nghean).key == canon.position("Bí thư Tỉnh ủy Nghệ An").key


def test_implicit_place_from_an_article_about_one_place(canon):
    about_one = {"id": "x", "locations": [{"text": "tỉnh Cà Mau", "start": 0, "end": 11, "type": "tỉnh", "name": "Cà Mau"}]}
    context = canon.context(about_one)
    assert context.article is not None and context.article.name == "Cà Mau"
    assert canon.position("Chủ tịch UBND tỉnh", context).key == canon.position("Chủ tịch UBND tỉnh Cà Mau").key
    about_two = {"id": "x", "locations": [
        {"text": "tỉnh Cà Mau", "start": 0, "end": 11, "type": "tỉnh", "name": "Cà Mau"},
        {"text": "tỉnh Bạc Liêu", "start": 20, "end": 33, "type": "tỉnh", "name": "Bạc Liêu"}]}
    assert canon.position("Chủ tịch UBND tỉnh", canon.context(about_two)).province is None
    # A merger qualifier leaves the unit unknown: never filled.
    assert canon.position("Chủ tịch UBND tỉnh cũ", context).province is None


def test_a_users_rules_folder_adds_a_portal(tmp_path):
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "portals.tsv").write_text("*.example-portal.vn\tĐà Nẵng\n", encoding="utf-8")
    canon = PositionCanon.for_rules(str(tmp_path))
    assert canon.portal_province("lienchieu.example-portal.vn").name == "Đà Nẵng"
