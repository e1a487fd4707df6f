"""Entity resolution on small records written for the test: one person per full name unless
places conflict; short mentions never create persons; first/last seen from publication days."""

from extractor.research.positions import PositionCanon
from extractor.research.registry import Registry


def official(name, *titles, mentions=()):
    return {"name": name, "titles": list(titles), "mentions": [{"start": s, "end": e} for s, e in mentions], "roles": []}


def record(rid, published_at, *officials, text="", site=None, **extra):
    return {"id": rid, "published_at": published_at, "text": text, "site": site, "officials": list(officials), **extra}


def people_by_name(registry):
    found = {}
    for person in registry.people():
        found.setdefault(person.name, []).append(person)
    return found


def test_same_full_name_is_one_person_across_articles_and_wordings():
    text = "Ông Lê Minh Tâm, Bí thư Thành ủy, phát biểu. Ông Tâm nhấn mạnh."
    reg = Registry().add_all([
        record("a1", "2023-02-01T09:00:00+07:00", official("Lê Minh Tâm", "Bí thư Thành ủy TP.HCM")),
        record("a2", "2023-03-05", official("Lê Minh Tâm", "Bí thư Thành ủy", mentions=[(4, 15), (text.index("Tâm nhấn"), text.index(" nhấn"))]),
               text=text, locations=[{"text": "TP.HCM", "start": 0, "end": 6, "type": "thành phố", "name": "HCM"}]),
        record("a3", None, official("Lê  Minh Tâm", "bí thư thành ủy TPHCM")),
    ])
    people = people_by_name(reg)
    assert list(people) == ["Lê Minh Tâm"]
    entry = people["Lê Minh Tâm"][0].to_dict()
    assert entry["articles"] == 3 and not entry["ambiguous"]
    assert (entry["first_seen"], entry["last_seen"]) == ("2023-02-01", "2023-03-05")  # a3 has no date: counts, no date
    assert "Tâm" in entry["variants"]
    [post] = entry["positions"]
    assert post["articles"] == 3 and sorted(post["article_ids"]) == ["a1", "a2", "a3"]
    assert post["canonical"].lower() == "bí thư thành ủy thành phố hồ chí minh"


def test_short_mentions_never_create_persons():
    reg = Registry().add_all([record("a1", "2023-01-01", official("Hùng", "Chủ tịch UBND xã"))])
    assert reg.people() == []


def test_conflicting_places_split_a_name_and_placeless_mentions_are_ambiguous():
    reg = Registry().add_all([
        record("n1", "2022-01-10", official("Nguyễn Văn Hùng", "Chủ tịch UBND xã Nghi Lộc, tỉnh Nghệ An")),
        record("n2", "2022-02-10", official("Nguyễn Văn Hùng", "Chủ tịch UBND tỉnh Nghệ An")),
        record("c1", "2022-03-10", official("Nguyễn Văn Hùng", "Giám đốc Sở Tài chính tỉnh Cà Mau")),
        record("u1", "2022-04-10", official("Nguyễn Văn Hùng", "Giám đốc")),
    ])
    people = people_by_name(reg)["Nguyễn Văn Hùng"]
    assert len(people) == 3
    by_place = {tuple(p.provinces): p for p in people}
    assert by_place[("Nghệ An",)].to_dict()["articles"] == 2 and not by_place[("Nghệ An",)].ambiguous
    assert by_place[("Cà Mau",)].to_dict()["articles"] == 1
    unplaced = by_place[()]
    assert unplaced.ambiguous and unplaced.to_dict()["articles"] == 1
    explained = by_place[("Cà Mau",)].to_dict(explain=True)["why"]
    assert any("conflict" in line for line in explained)
    # Each mention resolves back to its person (what the officials table uses).
    canon = PositionCanon.for_rules()
    assert reg.person_for("Nguyễn Văn Hùng", [canon.position("Giám đốc Sở Tài chính tỉnh Cà Mau")]) is by_place[("Cà Mau",)]
    assert reg.person_for("Nguyễn Văn Hùng", []) is unplaced


def test_one_place_lets_placeless_mentions_join_and_a_transfer_links_places():
    reg = Registry().add_all([
        record("a", "2019-01-01", official("Trần Quốc Bảo", "Phó Chủ tịch UBND tỉnh Quảng Nam")),
        record("b", "2020-01-01", official("Trần Quốc Bảo", "Ủy viên Trung ương Đảng")),
        record("c", "2021-01-01", official("Phạm Thu Trang", "Giám đốc Sở Y tế tỉnh Bến Tre")),
        record("d", "2021-06-01", official("Phạm Thu Trang", "Bí thư Tỉnh ủy Trà Vinh", "nguyên Giám đốc Sở Y tế tỉnh Bến Tre")),
        record("e", "2021-09-01", official("Phạm Thu Trang", "Bí thư Tỉnh ủy Trà Vinh")),
    ])
    people = people_by_name(reg)
    [bao] = people["Trần Quốc Bảo"]
    assert bao.to_dict()["articles"] == 2 and not bao.ambiguous
    [trang] = people["Phạm Thu Trang"]  # Bến Tre and Trà Vinh linked by article d
    assert trang.to_dict()["articles"] == 3 and sorted(trang.provinces) == ["Bến Tre", "Trà Vinh"]
    posts = {p["canonical"]: p for p in trang.to_dict()["positions"]}
    assert any(p.get("former") for p in posts.values())  # "nguyên …" kept distinct and marked


def test_short_written_posts_fold_into_the_persons_full_post_and_timelines_order_holders():
    reg = Registry().add_all([
        record("p1", "2018-05-01", official("Đỗ Văn Nam", "Bộ trưởng Bộ Xây dựng")),
        record("p2", "2018-06-01", official("Đỗ Văn Nam", "Bộ trưởng")),
        record("p3", "2018-07-01", official("Đỗ Văn Nam", "Bộ trưởng Bộ Xây dựng")),
        record("q1", "2020-05-01", official("Hà Thị Lan", "Bộ trưởng Bộ Xây dựng")),
        record("q2", "2020-09-01", official("Hà Thị Lan", "Bộ trưởng Xây dựng")),
    ])
    [nam] = people_by_name(reg)["Đỗ Văn Nam"]
    assert [p["articles"] for p in nam.to_dict()["positions"]] == [3]
    [post] = [p for p in reg.positions() if p["key"] == "bộ trưởng bộ xây dựng"]
    assert [h["name"] for h in post["holders"]] == ["Đỗ Văn Nam", "Hà Thị Lan"]
    assert post["holders"][0]["first_article"] == "p1" and post["holders"][0]["last_article"] == "p3"
    assert post["holders"][1]["last_seen"] == "2020-09-01"


def test_records_with_extra_fields_and_odd_shapes_are_read_defensively():
    reg = Registry().add_all([
        record("x1", "2021-01-01", official("Vũ Hải Đăng", "Giám đốc Công an tỉnh Lào Cai"), captions=[{"text": "ảnh"}]),
        {"id": "x2", "officials": [{"name": 5}, "garbage", {"name": "Vũ Hải Đăng", "titles": [None, "  "]}]},
        {"id": "x3", "published_at": "not a date", "officials": [{"name": "Vũ Hải Đăng", "titles": [{"text": "?"}]}]},
    ])
    [dang] = reg.people()
    assert dang.to_dict()["articles"] == 3 and dang.to_dict()["last_seen"] == "2021-01-01"
