"""Agreement with Duckling's Vietnamese time phrasings (not a test).

Reads `benchmarks/duckling_vi_dates.tsv` (one sentence of ours per phrasing type of Duckling's
`Duckling/Time/VI/Corpus.hs`, with Duckling's resolution written as SPEC's kind:value), runs the
dates component with the file's reference date as `published_at`, and prints the agreement per
type: a type agrees when one of our facts has exactly the expected kind and value.

    .venv/bin/python benchmarks/duckling_vi_dates.py            # table + totals
    .venv/bin/python benchmarks/duckling_vi_dates.py --markdown # the table of duckling_vi_dates.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractor.pipeline import Pipeline

HERE = Path(__file__).resolve().parent
TABLE = HERE / "duckling_vi_dates.tsv"
REFERENCE = "2024-03-14"


def rows(path: Path = TABLE) -> list[tuple[str, str, str, str]]:
    """(type, scope, expected, phrasing) of every example line."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, scope, expected, phrasing = line.split("\t")
            found.append((kind, scope, expected, phrasing))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    pipeline = Pipeline(components=("dates",))
    tallies = {"spec": [0, 0], "all": [0, 0]}
    lines = []
    for kind, scope, expected, phrasing in rows():
        record = pipeline.extract_text(phrasing, published_at=REFERENCE)
        got = [f"{d.kind}:{d.value}" for d in record.dates]
        agrees = expected in got
        for key in ("all", "spec") if scope == "spec" else ("all",):
            tallies[key][0] += agrees
            tallies[key][1] += 1
        mark = "yes" if agrees else "no"
        if args.markdown:
            lines.append(f"| {kind} | {'SPEC' if scope == 'spec' else scope} | `{expected}` | "
                         f"`{'; '.join(got) or '-'}` | {mark} |")
        else:
            lines.append(f"{mark:3}  {kind:45} {expected:32} {'; '.join(got) or '-'}")
    if args.markdown:
        print("| phrasing type | scope | Duckling (as SPEC kind:value) | vnextract | agree |")
        print("|---|---|---|---|---|")
    print("\n".join(lines))
    for key, label in (("spec", "types SPEC covers"), ("all", "all types")):
        ok, total = tallies[key]
        print(f"\nagreement, {label}: {ok}/{total} = {ok / total:.3f}" if total else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
