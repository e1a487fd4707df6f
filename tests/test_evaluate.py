"""Scoring checked against hand-computed figures (SPEC's rules)."""

import json

import pytest

from extractor.cli import main
from extractor.evaluate import fold_title, score_article, units_compatible


def test_dates_match_on_kind_and_value_distinct_per_article():
    gold = {"dates": [{"text": "Chiều 21/5", "kind": "date", "value": "2020-05-21"},
                      {"text": "21/5", "kind": "date", "value": "2020-05-21"},  # same fact twice: counts once
                      {"text": "năm 2020", "kind": "year", "value": "2020"}]}
    pred = {"dates": [{"kind": "date", "value": "2020-05-21"}, {"kind": "month", "value": "2020"},
                      {"kind": "period", "value": "2016/2021"}]}
    t = score_article(gold, pred).tallies["dates"]
    # gold distinct 2, predicted 3, correct 1 → P 1/3, R 1/2, F1 0.4
    assert (t.gold, t.predicted, t.correct_predicted) == (2, 3, 1)
    assert t.precision == pytest.approx(1 / 3) and t.recall == pytest.approx(0.5) and t.f1 == pytest.approx(0.4)


def test_officials_and_titles_hand_computed():
    gold = {"officials": [
        {"name": "Đặng Bá Cường", "titles": ["Ủy viên Ban Thường vụ Thành ủy", "Trưởng Ban Nội chính Thành ủy",
                                             "Trưởng Ban Pháp chế HĐND thành phố"]},
        {"name": "Lê Văn An", "titles": ["Chủ tịch UBND quận"]}]}
    pred = {"officials": [
        {"name": "Đặng  Bá Cường", "titles": ["Uỷ viên Ban Thường vụ Thành ủy", "trưởng ban pháp chế Hội đồng nhân dân thành phố",
                                              "Thành ủy"]},
        {"name": "Trần Thị Bình", "titles": ["Phó Chủ tịch UBND quận"]}]}
    s = score_article(gold, pred)
    names = s.tallies["officials"]
    assert (names.gold, names.predicted, names.correct_predicted) == (2, 2, 1)
    titles = s.tallies["titles"]
    # predicted titles 4 (3 + 1), correct 2; gold titles 4 (3 + 1), found 2.
    assert (titles.predicted, titles.correct_predicted, titles.gold, titles.correct_gold) == (4, 2, 4, 2)
    assert titles.f1 == pytest.approx(0.5)


def test_quantities_units_compatible_and_one_to_one():
    gold = {"quantities": [
        {"kind": "count", "value": 37, "unit": "tỉnh, thành phố"},
        {"kind": "ratio", "value": 7, "total": 7, "unit": "phường"},
        {"kind": "money", "value": 1500000000, "unit": "đồng"},
        {"kind": "count", "value": 34, "unit": "hồ sơ"}]}
    pred = {"quantities": [
        {"kind": "count", "value": 37, "unit": "tỉnh"},          # prefix ending at a non-letter: ok
        {"kind": "ratio", "value": 7, "total": 8, "unit": "phường"},  # wrong total
        {"kind": "money", "value": 1.5e9, "unit": "Đồng"},        # case-insensitive unit, float value
        {"kind": "count", "value": 34, "unit": "hồ sơi"}]}        # "hồ sơ" ends inside a word of "hồ sơi"
    t = score_article(gold, pred).tallies["quantities"]
    assert (t.gold, t.predicted, t.correct_predicted) == (4, 4, 2)


def test_title_folding_spells_out_spec_abbreviations():
    assert fold_title("Chủ tịch UBND TP. Huế") == fold_title("chủ tịch Ủy ban nhân dân thành phố Huế")
    assert fold_title("Ủy viên BTV Thành ủy") == fold_title("Ủy viên Ban Thường vụ Thành ủy")
    assert fold_title("Phó Chủ tịch HĐND tỉnh") != fold_title("Chủ tịch HĐND tỉnh")


def test_units_compatible():
    assert units_compatible("tỉnh", "tỉnh, thành phố")
    assert units_compatible("%", "%")
    assert units_compatible("hồ", "hồ sơ")  # SPEC: a prefix ending at a non-letter
    assert not units_compatible("ha", "hai")
    assert not units_compatible(None, "đồng")


def test_eval_cli_json_on_a_hand_made_gold_file(tmp_path, capsys):
    gold = {"id": "t1", "text": "Một bài không có sự kiện nào.", "published_at": "2020-05-22",
            "dates": [], "officials": [], "quantities": [{"text": "x", "kind": "count", "value": 3, "unit": "hồ sơ"}]}
    path = tmp_path / "t1.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    assert scores["quantities"]["gold"] == 1 and scores["quantities"]["recall"] == 0.0
    assert scores["dates"]["f1"] == 1.0  # nothing to find, nothing found


def test_eval_cli_names_a_broken_gold_file(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["eval", str(path)]) == 1
    assert "broken.json" in capsys.readouterr().err
