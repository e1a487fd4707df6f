"""A user rules folder is checked before use: unknown files and keys, removals that remove nothing
and values of the wrong kind fail loudly, naming the file and the key or line (exit 2 on the CLI)."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from extractor.cli import main
from extractor.html.profiles import load_profiles
from extractor.rules_loader import Rules, RulesError, load_rules
from extractor.rules_validation import SCHEMA_PATH, validate_json_rules


def write(folder, name: str, content) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")


def test_the_shipped_rules_pass_their_schemas():
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    validate_json_rules(Rules())


@pytest.mark.parametrize("name, content, message", [
    ("officials/title.txt", "Điều phối viên\n", r"unknown rules file.*officials/title\.txt.*did you mean officials/titles\.txt"),
    ("setting.json", {"fetch": {}}, r"unknown rules file.*did you mean settings\.json"),
    ("notes.csv", "a,b\n", r"unknown rules file.*notes\.csv"),
    ("sites/_commons.json", {}, r"unknown rules file.*sites/_commons\.json"),
    ("sites/vnportal.json", {"name": "vnportal", "artcle": {"body": "div"}}, r"vnportal\.json: top level: unknown key 'artcle'"),
    ("sites/vnportal.json", {"article": {"bdy": "div"}}, r"vnportal\.json: article: unknown key 'bdy'"),
    ("sites/new_platform.json", {"name": "moi", "hosts": "a.gov.vn"}, r"new_platform\.json: hosts: 'a\.gov\.vn' is not of type 'array'"),
    ("sites/new_platform.json", {"hosts": ["a.gov.vn"]}, r"new_platform\.json: top level: 'name' is a required property"),
    ("sites/_common.json", {"boilerplate_line": ["x"]}, r"_common\.json: top level: unknown key 'boilerplate_line'"),
    ("sites/vnportal.json", {"article": {"body": "div["}}, r"vnportal\.json: article\.body: 'div\[' is not a 'css-selector' \(Malformed"),
    ("sites/vnportal.json", {"fingerprints": ["form#", "div.x"]}, r"vnportal\.json: fingerprints\.\d+: 'form#' is not a 'css-selector'"),
    ("sites/new_platform.json", {"name": "moi", "article_urls": ["/tin-(\\d+"]},
     r"new_platform\.json: article_urls\.0: .* is not a 'regex' \(missing \)"),
    ("sites/_common.json", {"generic_lead_pattern": "(sapo"}, r"_common\.json: generic_lead_pattern: '\(sapo' is not a 'regex'"),
    ("dates/patterns.json", {"rules": [{"name": "moi", "patern": "x"}]}, r"patterns\.json: rules\.\d+: unknown key 'patern'"),
    ("dates/patterns.json", {"rules": [{"name": "moi"}]}, r"patterns\.json: rules\.\d+: 'pattern' is a required property"),
    ("dates/patterns.json", {"fragment": {"D": "x"}}, r"patterns\.json: top level: unknown key 'fragment'"),
    ("dates/patterns.json", {"rules": [{"name": "moi", "pattern": "x", "gate": 7}]}, r"patterns\.json: rules\.\d+\.gate: 7 is not valid"),
    ("settings.json", {"fetch": {"delay_secs": 2}}, r"settings\.json: fetch: unknown key 'delay_secs'"),
    ("settings.json", {"fetchh": {}}, r"settings\.json: top level: unknown key 'fetchh'"),
    ("settings.json", {"fetch": {"timeout_seconds": -1}}, r"settings\.json: fetch\.timeout_seconds: -1 is less than the minimum of 0"),
    ("settings.json", {"fetch": {"max_pages": 2.5}}, r"settings\.json: fetch\.max_pages: 2\.5 is not of type 'integer'"),
    ("settings.json", {"fetch": {"user_agent": 7}}, r"fetch\.user_agent: 7 is not of type 'string'"),
    ("settings.json", '{"fetch": {"delay_seconds": NaN}}', r"settings\.json: invalid JSON: NaN"),
    ("settings.json", '{"fetch": {"delay_seconds": 1e999}}', r"settings\.json: invalid JSON: 1e999 is not a finite number"),
    ("officials/titles.txt", "Điều phối viên\n!Chức danh không có\n", r"titles\.txt:2: !Chức danh không có removes nothing"),
    ("abbreviations.tsv", "!KHÔNGCÓ\n", r"abbreviations\.tsv:1: !KHÔNGCÓ removes nothing"),
])
def test_a_bad_overlay_fails_loudly_naming_file_and_key(tmp_path, name, content, message):
    write(tmp_path, name, content)
    with pytest.raises(RulesError, match=message):
        load_rules(tmp_path)


def test_good_overlays_still_load(tmp_path):
    write(tmp_path, "README.md", "Ghi chú của nhóm nghiên cứu.\n")
    write(tmp_path, "settings.json", {"fetch": {"delay_seconds": 2, "timeout_seconds": 7.5}, "_comment": "chậm hơn"})
    write(tmp_path, "sites/portal_moi.json", {"name": "portal_moi", "hosts": ["*.vidu.gov.vn"],
                                              "article": {"body": "div.noi-dung", "author_last_paragraph": True}})
    write(tmp_path, "officials/titles.txt", "Điều phối viên dự án\n")
    rules = load_rules(tmp_path)
    assert rules.setting("fetch", "timeout_seconds") == 7.5
    assert "portal_moi" in {p.name for p in load_profiles(rules)}


def test_a_tsv_removal_names_the_key_alone(tmp_path):
    shipped = Rules().tsv("abbreviations.tsv")
    key = shipped[0][0]
    assert sum(row[0] == key for row in shipped) >= 1
    write(tmp_path, "abbreviations.tsv", f"!{key}\n")
    rows = load_rules(tmp_path).tsv("abbreviations.tsv")
    assert key not in {row[0] for row in rows}
    assert len(rows) == len(shipped) - sum(row[0] == key for row in shipped)


def test_a_tsv_removal_of_the_whole_row_still_works(tmp_path):
    base, user = tmp_path / "base", tmp_path / "user"
    write(base, "units.tsv", "bao\tmeasure\tword\nthùng\tmeasure\tword\n")
    write(user, "units.tsv", "!bao\tmeasure\tword\n")
    assert Rules((base, user)).tsv("units.tsv") == [["thùng", "measure", "word"]]


def test_a_removal_that_matches_nothing_names_file_and_line(tmp_path):
    base, user = tmp_path / "base", tmp_path / "user"
    write(base, "words.txt", "một\nhai\n")
    write(user, "words.txt", "ba\n\n!bốn\n")
    with pytest.raises(RulesError, match=r"words\.txt:3: !bốn removes nothing"):
        Rules((base, user)).lines("words.txt")


@pytest.mark.parametrize("command", [["crawl", "http://127.0.0.1:9/"], ["extract", "-"], ["eval", "corpus/articles"]])
def test_the_cli_says_it_in_one_line_and_exits_2(tmp_path, capsys, command):
    write(tmp_path, "sites/vnportal.json", {"artcle": {}})
    code = main([*command, "--rules", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "\n" not in err and "unknown key 'artcle'" in err and "Traceback" not in err


@pytest.mark.parametrize("rule, message", [
    ({"name": "moi", "pattern": r"(?P<d>\d+) giờ", "production": "giờ_chiều"},
     r"patterns\.json: rule 'moi': unknown production 'giờ_chiều' \(known: .*clock_time"),
    ({"name": "moi", "pattern": r"(?P<d>\d+) giờ", "production": "clock_time"},
     r"patterns\.json: rule 'moi': its pattern lacks the groups h, colon, half, lead that production 'clock_time' reads"),
    ({"name": "moi", "pattern": r"quý (?P<quy>[IV]+)", "production": "quarter"},
     r"rule 'moi': its pattern lacks the group q that production 'quarter' reads"),
    ({"name": "month", "pattern": r"tháng (?P<y>\d{4})"}, r"rule 'month': its pattern lacks the group m\|mw"),
])
def test_a_date_rule_without_its_production_or_groups_fails_when_built(tmp_path, rule, message):
    from extractor.pipeline import Pipeline

    write(tmp_path, "dates/patterns.json", {"rules": [rule]})
    rules = load_rules(tmp_path)  # the schema holds: the production is checked with the grammar
    with pytest.raises(RulesError, match=message):
        Pipeline(rules)


def test_every_shipped_production_is_used_with_the_groups_it_reads():
    from extractor.facts.dates import check_productions
    from extractor.facts.dates.grammar import grammar_for
    from extractor.facts.dates.productions import NEEDED_GROUPS, PRODUCTIONS

    grammar = grammar_for(Rules())
    check_productions(grammar)
    assert set(NEEDED_GROUPS) == set(PRODUCTIONS)
    assert {rule.production for rule in grammar.rules} == set(PRODUCTIONS)  # no production is dead
