"""Every corpus record and the first N records of ../shared/realnews, without timestamps, as JSONL:
run it before and after a change that must not change output, and `cmp` the two files (issue 16).

    .venv/bin/python benchmarks/same_output.py before.jsonl          # on the old commit
    .venv/bin/python benchmarks/same_output.py after.jsonl           # on the new one
    cmp before.jsonl after.jsonl && echo same output
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import extractor  # noqa: E402

VOLATILE = ("extracted_at", "extractor_version")


def _record(doc: dict) -> dict:
    record = extractor.extract_text(doc["text"], published_at=doc.get("published_at"), title=doc.get("title"),
                                    url=doc.get("url")).to_dict()
    return {k: v for k, v in record.items() if k not in VOLATILE}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--realnews", type=int, default=1500, metavar="N", help="realnews documents (default 1500)")
    args = parser.parse_args(argv)
    with open(args.output, "w", encoding="utf-8") as out:
        for path in sorted(REPO.glob("corpus/*/*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            if "text" in gold:
                line = {"file": path.relative_to(REPO).as_posix(), **_record(gold)}
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        realnews = REPO.parent / "shared" / "realnews" / "docs.jsonl"
        if realnews.is_file():
            with realnews.open(encoding="utf-8") as handle:
                for number, text in enumerate(handle):
                    if number >= args.realnews:
                        break
                    doc = json.loads(text)
                    out.write(json.dumps({"id": doc.get("id"), **_record(doc)}, ensure_ascii=False, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
