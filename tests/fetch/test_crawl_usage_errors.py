"""Bad crawl (and extract) options: one clear line on stderr and exit 2, never a traceback, and
nothing created where the user did not ask for it."""

from __future__ import annotations

import sqlite3

import pytest

from extractor.cli import main

from .hostile import HostileServer


def run(capsys, argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err.strip()


def assert_usage_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert "\n" not in err and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.parametrize("seed, why", [
    ("http://[::1", "not a valid URL"),
    ("http://127.0.0.1:99999/", "port 99999 is not a port"),
    ("localhost:70000", "not a port"),
    ("javascript:alert(1)", "'javascript' is not http or https"),
    ("javascript:", "'javascript' is not http or https"),
    ("ftp://127.0.0.1/", "'ftp' is not http or https"),
    ("http:///nohost", "no host name"),
    ("http://a b/", "is not a host name"),
    ("", "no host name"),
])
def test_bad_seeds(capsys, tmp_path, seed, why):
    code, err = run(capsys, ["crawl", seed, "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, why)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("delay", ["nan", "inf", "-inf", "-1", "NaN"])
def test_delay_must_be_finite_and_not_negative(capsys, tmp_path, delay):
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", f"--delay={delay}", "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, "--delay")


def test_a_state_that_is_not_sqlite_is_refused_untouched(capsys, tmp_path):
    state = tmp_path / "passwd"
    state.write_text("root:x:0:0:root:/root:/bin/bash\n")
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "--state", str(state), "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, "not a crawl state file")
    assert state.read_text() == "root:x:0:0:root:/root:/bin/bash\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["passwd"]  # no lock, cache or output beside it


def test_a_folder_as_state_or_output_is_refused(capsys, tmp_path):
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "--state", str(tmp_path), "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, "--state", "is a folder")
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "-o", str(tmp_path)])
    assert_usage_error(code, err, "-o", "is a folder")


def test_an_output_in_a_missing_folder_is_refused_and_no_folder_made(capsys, tmp_path):
    target = tmp_path / "missing" / "dir" / "x.jsonl"
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "-o", str(target)])
    assert_usage_error(code, err, "does not exist")
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "--state", str(target), "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, "does not exist")
    assert not (tmp_path / "missing").exists()


def test_extract_output_gets_the_same_checks(capsys, tmp_path, monkeypatch):
    source = tmp_path / "in.txt"
    source.write_text("Sáng 14/3, phường Cầu Rào họp.", encoding="utf-8")
    code, err = run(capsys, ["extract", str(source), "-o", str(tmp_path / "missing" / "x.jsonl")])
    assert_usage_error(code, err, "does not exist")
    assert not (tmp_path / "missing").exists()
    code, err = run(capsys, ["extract", str(source), "-o", str(tmp_path)])
    assert_usage_error(code, err, "is a folder")


def test_a_missing_rules_folder_is_a_usage_error(capsys, tmp_path):
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "--rules", str(tmp_path / "nope"),
                             "-o", str(tmp_path / "o.jsonl")])
    assert_usage_error(code, err, "rules folder not found")


def test_an_existing_state_still_resumes(capsys, tmp_path):
    """The checks refuse what is not a state, not a real one: a crawl state made before is fine."""
    with HostileServer() as server:
        server.routes["/robots.txt"] = lambda h: h.send(404, "")
        server.routes["/"] = lambda h: h.send(200, "<html><body><p>Trang chủ</p></body></html>")
        state = tmp_path / "s.sqlite"
        argv = ["crawl", server.base_url + "/", "--state", str(state), "-o", str(tmp_path / "o.jsonl"), "--delay", "0"]
        assert run(capsys, argv)[0] == 0
        assert sqlite3.connect(state).execute("SELECT COUNT(*) FROM urls").fetchone()[0] >= 1
        assert run(capsys, argv)[0] == 0


def test_output_and_state_cannot_be_one_file(capsys, tmp_path):
    same = str(tmp_path / "crawl.out")
    code, err = run(capsys, ["crawl", "http://127.0.0.1:9/", "-o", same, "--state", same])
    assert_usage_error(code, err, "same file")
    assert list(tmp_path.iterdir()) == []
