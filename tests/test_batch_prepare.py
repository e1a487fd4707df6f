"""A worker loads everything before its first document's clock starts (`batch.prepare`): the first
HTML document of a worker once paid for importing and loading the page reader (about 25 times a
page's own cost) inside its 5 s budget, and failed on a busy machine (the Dask engine's test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from pathlib import Path
from extractor.batch import extract_one, prepare
from extractor.rules_loader import load_rules
page = Path(sys.argv[1]).read_text(encoding="utf-8")
rules = load_rules()
prepare(rules)
before = set(sys.modules)
outcome = extract_one(0, {"id": "first-page", "html": page}, rules, False, 5)
print(json.dumps({"ok": outcome.ok, "error": outcome.error, "imported": sorted(set(sys.modules) - before)}))
"""


def first_page() -> Path:
    pages = sorted((REPO / "corpus" / "portal").rglob("*.html"))
    assert pages, "the sample portal has pages"
    return pages[-1]


def test_a_prepared_worker_imports_nothing_for_its_first_page():
    done = subprocess.run([sys.executable, "-c", PROBE, str(first_page())], capture_output=True, text=True,
                          cwd=REPO, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ok"], result["error"]
    assert result["imported"] == []


def test_without_prepare_the_first_page_does_import_the_reader():
    """The probe can see the difference: a fresh process that skips `prepare` imports the reader."""
    probe = PROBE.replace("prepare(rules)", "from extractor.pipeline import get_pipeline; get_pipeline(rules)")
    done = subprocess.run([sys.executable, "-c", probe, str(first_page())], capture_output=True, text=True,
                          cwd=REPO, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert any(name.startswith("extractor.html") for name in result["imported"])
