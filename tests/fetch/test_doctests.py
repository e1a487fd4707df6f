"""The examples in the fetch and html docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["extractor.fetch", "extractor.fetch.urls", "extractor.fetch.settings", "extractor.fetch.politeness",
           "extractor.fetch.http", "extractor.fetch.state", "extractor.fetch.discovery", "extractor.fetch.crawler",
           "extractor.html", "extractor.html.encoding", "extractor.html.blocks", "extractor.html.generic",
           "extractor.html.profiles", "extractor.html.reader", "extractor.demo"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # some examples write files
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
