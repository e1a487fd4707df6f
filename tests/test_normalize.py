import unicodedata

import pytest

from extractor.normalize import fix_tone_placement, fold_for_compare, normalize_text


@pytest.mark.parametrize("old, new", [
    ("hoà", "hòa"), ("Uỷ ban", "Ủy ban"), ("thuỷ", "thủy"), ("UỶ BAN", "ỦY BAN"), ("khoẻ", "khỏe"),
    ("hoạ", "họa"), ("Hoà Vang", "Hòa Vang"), ("tuỳ", "tùy"), ("luỹ kế", "lũy kế"),
])
def test_old_tone_placement_is_modernized(old, new):
    assert normalize_text(old) == new


@pytest.mark.parametrize("word", ["quý", "hoàn", "hoàng", "quà", "thuyết", "khuỷu", "hòa", "Ủy"])
def test_words_already_right_are_left_alone(word):
    assert fix_tone_placement(word) == word


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân quận Đồ Sơn")
    assert nfd != "Ủy ban nhân dân quận Đồ Sơn"
    assert normalize_text(nfd) == "Ủy ban nhân dân quận Đồ Sơn"


def test_spaces_dashes_and_zero_width():
    raw = "giai đoạn 2016 —\u00a02021\u200b ,\tquận\u2011huyện   mới"
    assert normalize_text(raw) == "giai đoạn 2016 – 2021 , quận-huyện mới"


def test_paragraph_breaks_kept_and_folded():
    assert normalize_text(" a \r\n\r\n\r\n b \n c ") == "a\n\nb\nc"


def test_fold_for_compare_ignores_case_and_spacing():
    assert fold_for_compare("Uỷ  viên\nBan") == fold_for_compare("ủy viên ban")
