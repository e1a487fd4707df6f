"""The registry on real news (../shared/realnews: 2017 and 2019–2021), checked against facts of
public record — who held which national post, and four changes of post — not against output
read back. Skipped when ../shared/realnews is absent."""

import json
import unicodedata
from collections import Counter

import pytest

import extractor
from extractor.research.positions import PositionCanon
from extractor.research.registry import Registry, name_key

from ..conftest import SHARED

REALNEWS = SHARED / "realnews" / "docs.jsonl"
pytestmark = pytest.mark.skipif(not REALNEWS.is_file(), reason="../shared/realnews is absent")

# Public record: national officials of 2017–2021 and a post each held in those years.
KNOWN_POSTS = {
    "Nguyễn Xuân Phúc": "Thủ tướng Chính phủ",
    "Trần Đại Quang": "Chủ tịch nước",
    "Nguyễn Phú Trọng": "Tổng Bí thư",
    "Nguyễn Thị Kim Ngân": "Chủ tịch Quốc hội",
    "Đinh La Thăng": "Bí thư Thành ủy TP.HCM",
    "Nguyễn Thiện Nhân": "Bí thư Thành ủy TP.HCM",
    "Nguyễn Đức Chung": "Chủ tịch UBND TP Hà Nội",
    "Vũ Đức Đam": "Phó Thủ tướng Chính phủ",
    "Trương Hòa Bình": "Phó Thủ tướng Thường trực Chính phủ",
    "Vương Đình Huệ": "Phó Thủ tướng Chính phủ",
    "Trịnh Đình Dũng": "Phó Thủ tướng Chính phủ",
    "Phạm Bình Minh": "Bộ trưởng Bộ Ngoại giao",
    "Trần Tuấn Anh": "Bộ trưởng Bộ Công Thương",
    "Nguyễn Thị Kim Tiến": "Bộ trưởng Bộ Y tế",
    "Tô Lâm": "Bộ trưởng Bộ Công an",
    "Nguyễn Thành Phong": "Chủ tịch UBND TP.HCM",
    "Hoàng Trung Hải": "Bí thư Thành ủy Hà Nội",
    "Trương Quang Nghĩa": "Bộ trưởng Bộ Giao thông vận tải",
    "Nguyễn Chí Dũng": "Bộ trưởng Bộ Kế hoạch và Đầu tư",
    "Phạm Minh Chính": "Trưởng Ban Tổ chức Trung ương",
}
# Public record: changes of post, earlier holder first.
CHANGES = [
    ("Bí thư Thành ủy TP.HCM", "Đinh La Thăng", "Nguyễn Thiện Nhân"),       # May 2017
    ("Thủ tướng Chính phủ", "Nguyễn Xuân Phúc", "Phạm Minh Chính"),          # April 2021
    ("Chủ tịch nước", "Trần Đại Quang", "Nguyễn Xuân Phúc"),                 # 2018 / April 2021
    ("Chủ tịch Quốc hội", "Nguyễn Thị Kim Ngân", "Vương Đình Huệ"),          # March 2021
    ("Bộ trưởng Bộ Y tế", "Nguyễn Thị Kim Tiến", "Nguyễn Thanh Long"),       # 2019–2020
    ("Chủ tịch UBND TP Hà Nội", "Nguyễn Đức Chung", "Chu Ngọc Anh"),         # 2020
    ("Bí thư Thành ủy Hà Nội", "Hoàng Trung Hải", "Đinh Tiến Dũng"),         # 2020 / 2021
]
NAMES = sorted(set(KNOWN_POSTS) | {n for _, a, b in CHANGES for n in (a, b)})


@pytest.fixture(scope="module")
def records():
    """Records of the real articles that name one of the officials (extracted now)."""
    docs = []
    with REALNEWS.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = unicodedata.normalize("NFC", doc.get("text") or "")
            if any(name in text for name in NAMES):
                docs.append(doc)
    return [rec.to_dict() for rec in extractor.extract_many(docs, jobs=2)]


@pytest.fixture(scope="module")
def registry(records):
    return Registry().add_all(records)


@pytest.fixture(scope="module")
def canon():
    return PositionCanon.for_rules()


def post_key(canon, title):
    return canon.complete(canon.position(title)).key


@pytest.mark.parametrize("name", sorted(KNOWN_POSTS))
def test_each_known_official_is_one_dominant_person_with_the_known_post(name, records, registry, canon):
    naming = {r["id"] for r in records for o in r["officials"] if name_key(o["name"]) == name_key(name)}
    assert len(naming) >= 5, f"{name}: too few articles to judge"
    candidates = [p for p in registry.people() if name_key(p.name) == name_key(name)]
    dominant = max(candidates, key=lambda p: len(p.mentions.seen.article_ids))
    share = len(set(dominant.mentions.seen.article_ids) & naming) / len(naming)
    assert share >= 0.8, (name, share, [(p.provinces, len(p.mentions.seen.article_ids)) for p in candidates])
    assert post_key(canon, KNOWN_POSTS[name]) in dominant.mentions.posts, \
        (name, sorted(dominant.mentions.posts)[:20])


@pytest.mark.parametrize("post, earlier, later", CHANGES)
def test_known_changes_of_post_appear_in_order(post, earlier, later, registry, canon):
    key = post_key(canon, post)
    [entry] = [p for p in registry.positions() if p["key"] == key]
    holders = [h["name"] for h in entry["holders"]]
    assert earlier in holders and later in holders, holders
    main = {}  # per name, its holder entry with the most articles (a stray namesake aside)
    for h in entry["holders"]:
        if h["name"] not in main or h["articles"] > main[h["name"]]["articles"]:
            main[h["name"]] = h
    a, b = main[earlier], main[later]
    assert a["first_seen"] < b["first_seen"] and a["last_seen"] <= b["last_seen"], (a, b)
    assert holders.index(earlier) < holders.index(later)


def test_the_prime_minister_became_state_president_in_april_2021(registry, canon):
    phuc = max((p for p in registry.people() if p.name == "Nguyễn Xuân Phúc"), key=lambda p: len(p.mentions.seen.article_ids))
    pm = phuc.mentions.posts[post_key(canon, "Thủ tướng Chính phủ")].seen
    president = phuc.mentions.posts[post_key(canon, "Chủ tịch nước")].seen
    assert pm.first_seen < "2021-04-05" <= president.last_seen


def test_the_city_party_secretary_was_replaced_in_may_2017(registry, canon):
    key = post_key(canon, "Bí thư Thành ủy TP.HCM")
    by_name = {p.name: p for p in registry.people() if key in p.mentions.posts}
    assert by_name["Đinh La Thăng"].mentions.posts[key].seen.first_seen < "2017-05-01"
    assert by_name["Nguyễn Thiện Nhân"].mentions.posts[key].seen.first_seen >= "2017-05-01"
