"""What the wheel ships beyond code: the rules and the sample portal `vnextract demo` serves.

setuptools copies package data by the globs of pyproject.toml; these tests check the globs still
cover the files the package reads at run time, so a wheel install works away from a checkout.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path

import extractor
from extractor import demo

PACKAGE = Path(extractor.__file__).resolve().parent
REPO = PACKAGE.parent


def _package_data_globs() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["extractor"]


def _shipped(relative: str) -> bool:
    # setuptools' "**" matches across folders, as fnmatch's "*" does.
    return any(fnmatch.fnmatch(relative, glob.replace("**/", "")) or fnmatch.fnmatch(relative, glob)
               for glob in _package_data_globs())


def test_the_demo_finds_its_portal_inside_the_package():
    assert demo.PORTAL_SERVER.is_file()
    assert demo.PORTAL_SERVER.relative_to(PACKAGE).parts[0] == "sample_corpus"
    portal = demo.load_portal_module()
    assert len(portal.load_articles()) >= 20


def test_every_file_the_sample_portal_reads_is_package_data():
    folder = PACKAGE / "sample_corpus"  # its folders are symlinks in a checkout: walk through them
    files = [Path(root) / name for root, dirs, names in os.walk(folder, followlinks=True)
             if "__pycache__" not in root for name in names if name.endswith((".py", ".html", ".json"))]
    assert any(p.name == "server.py" for p in files)
    assert any(p.suffix == ".html" for p in files)
    missing = [str(p.relative_to(PACKAGE)) for p in files if not _shipped(str(p.relative_to(PACKAGE)))]
    assert missing == []


def test_the_rules_are_package_data():
    rules = [p for p in (PACKAGE / "rules").rglob("*") if p.is_file()]
    assert rules
    assert all(_shipped(str(p.relative_to(PACKAGE))) for p in rules)
