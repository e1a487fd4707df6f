"""A user rules folder extends or overrides the shipped rules, file by file."""

import json

import pytest

import extractor
from extractor.rules_loader import Rules, RulesError, load_rules


def test_lines_extend_replace_and_remove(tmp_path):
    base = tmp_path / "base"
    user = tmp_path / "user"
    base.mkdir()
    user.mkdir()
    (base / "words.txt").write_text("# comment\nmột\nhai\nba\n", encoding="utf-8")
    (user / "words.txt").write_text("bốn\n!hai\n", encoding="utf-8")
    rules = Rules((base, user))
    assert rules.lines("words.txt") == ["một", "ba", "bốn"]
    (user / "words.txt").write_text("#!replace\nnăm\n", encoding="utf-8")
    assert Rules((base, user)).lines("words.txt") == ["năm"]


def test_json_merges_objects_and_appends_lists(tmp_path):
    base, user = tmp_path / "b", tmp_path / "u"
    base.mkdir()
    user.mkdir()
    (base / "s.json").write_text(json.dumps({"a": {"x": 1, "y": 2}, "l": [1]}), encoding="utf-8")
    (user / "s.json").write_text(json.dumps({"a": {"y": 3}, "l": [2]}), encoding="utf-8")
    assert Rules((base, user)).json("s.json") == {"a": {"x": 1, "y": 3}, "l": [1, 2]}


def test_user_settings_override_the_shipped_default(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"fetch": {"timeout_seconds": 3}}), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.setting("fetch", "timeout_seconds") == 3
    assert load_rules().setting("fetch", "timeout_seconds") != 3
    assert rules.setting("fetch", "max_response_bytes") == load_rules().setting("fetch", "max_response_bytes")


def test_missing_rules_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RulesError, match="nowhere"):
        load_rules(tmp_path / "nowhere")


def test_bad_json_rules_file_names_the_file(tmp_path):
    (tmp_path / "settings.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(RulesError, match="settings.json"):
        load_rules(tmp_path).json("settings.json")


def test_extract_text_accepts_a_rules_folder(tmp_path):
    record = extractor.extract_text("Chiều 21/5, họp.", published_at="2020-05-22", rules=tmp_path)
    assert record.text == "Chiều 21/5, họp."


def test_rules_ship_inside_the_package():
    from extractor.rules_loader import SHIPPED_RULES_DIR

    assert (SHIPPED_RULES_DIR / "settings.json").is_file()
    assert SHIPPED_RULES_DIR.parent.name == "extractor"


def test_a_copy_without_its_rules_fails_loudly(tmp_path):
    """`extractor/` copied without `rules/` (its link dangles): an error naming the folder, not
    records that are silently empty."""
    import shutil
    import subprocess
    import sys

    from extractor.rules_loader import SHIPPED_RULES_DIR

    package = SHIPPED_RULES_DIR.parent
    shutil.copytree(package, tmp_path / "extractor", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "sample_corpus"))
    done = subprocess.run([sys.executable, "-c", "import extractor; extractor.extract_text('Sáng 9/3, họp.')"],
                          cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "the shipped rules folder is missing" in done.stderr and str(tmp_path / "extractor" / "rules") in done.stderr
