"""How heavy `vnextract report` is, and how fast headless Chromium opens what it writes.

    .venv/bin/vnextract extract ../shared/realnews/docs.jsonl --jobs 2 -o /tmp/report_rn.jsonl
    .venv/bin/python benchmarks/report_open.py /tmp/report_rn.jsonl --opens 5

Prints the report's build time and peak memory (this process), its size, and per opening in a
fresh tab: the wall time from opening the tab to the load event, and the page's own
navigation-start → load-event time. Needs Debian's `chromium`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO / "tests"))  # after the stdlib: tests/html must not shadow html

from browser import Browser  # noqa: E402  (tests/browser.py: Chromium over DevTools)

from extractor.report import write_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="+", help="JSONL record files")
    parser.add_argument("--opens", type=int, default=5, help="times to open the page (median reported)")
    parser.add_argument("-o", "--output", help="keep the report here (default: a temporary file)")
    args = parser.parse_args()
    output = Path(args.output or tempfile.mkdtemp(prefix="vnextract-report-")) / "report.html" \
        if not args.output else Path(args.output)
    started = time.perf_counter()
    data = write_report(args.records, output)
    built = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = output.stat().st_size / 1e6
    print(f"records {data.articles:,}: report built in {built:.1f} s, peak RSS {peak_mb:.0f} MB, "
          f"{size_mb:.2f} MB written to {output}")
    walls, loads = [], []
    with Browser() as browser:
        for _ in range(args.opens):
            started = time.perf_counter()
            page = browser.open(output.as_uri())
            walls.append(time.perf_counter() - started)
            loads.append(page.evaluate("performance.timing.loadEventEnd - performance.timing.navigationStart") / 1000)
            if page.errors:
                print("console errors:", page.errors)
            page.close()
    print("open (tab → load event), s: " + ", ".join(f"{w:.2f}" for w in walls) + f"; median {statistics.median(walls):.2f}")
    print("page navigation → load event, s: " + ", ".join(f"{x:.2f}" for x in loads) + f"; median {statistics.median(loads):.2f}")


if __name__ == "__main__":
    main()
