"""vnextract's crawler beside `trafilatura --crawl` on the sample portal, in one run: pages/s for each.

    .venv/bin/python benchmarks/crawl_compare.py [--rounds 3]

Both start from nothing but each platform site's home URL, on the same freshly started portal,
with no delay between requests (vnextract `--delay 0`; trafilatura SLEEP_TIME = 0 and its
protection against loopback addresses off). courlan, trafilatura's URL filter, rejects every link
whose host is an IP address, so trafilatura runs through a small shim (TRAFILATURA_SHIM) that lets
127.0.0.1 through its domain checks and changes nothing else; its time includes its process start
(about a second), while vnextract's NLP models are loaded before its clock starts. Pages are
the requests the portal's log shows during each run (robots.txt and sitemaps included), so both
are counted the same way. They do not do the same work, and the table says so: vnextract reads
every article into a record with its facts; trafilatura's crawler only follows links (at most 30
pages a site) and prints the URLs it found. "articles found" is how many of the portal's articles
each run reached (for trafilatura: printed; for vnextract: emitted as records).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.demo import load_portal_module  # noqa: E402
from extractor.fetch.crawler import run_crawl  # noqa: E402
from extractor.pipeline import article_extractor  # noqa: E402
from extractor.fetch.settings import FetchSettings  # noqa: E402
from extractor.pipeline import get_pipeline  # noqa: E402

TRAFILATURA_CONFIG = """[DEFAULT]
DOWNLOAD_TIMEOUT = 30
MAX_FILE_SIZE = 20000000
MIN_FILE_SIZE = 10
SLEEP_TIME = 0
USER_AGENTS =
COOKIE =
MAX_REDIRECTS = 2
SSRF_PROTECTION = off
INSECURE_SSL_FALLBACK = on
MIN_EXTRACTED_SIZE = 250
MIN_OUTPUT_SIZE = 1
MIN_OUTPUT_COMM_SIZE = 1
MAX_TREE_SIZE =
EXTRACTION_TIMEOUT = 30
MIN_DUPLCHECK_SIZE = 100
MAX_REPETITIONS = 2
EXTENSIVE_DATE_SEARCH = on
EXTERNAL_URLS = off
"""


TRAFILATURA_SHIM = """
import sys
from urllib.parse import urlsplit
import courlan.core, courlan.filters
_filter, _domain = courlan.filters.domain_filter, courlan.core.extract_domain
courlan.core.domain_filter = lambda d: d.startswith("127.0.0.1:") or _filter(d)
def extract_domain(url, *args, **kwargs):
    host = urlsplit(url if "//" in url else "http://" + url).hostname
    return host if host == "127.0.0.1" else _domain(url, *args, **kwargs)
courlan.core.extract_domain = extract_domain
from trafilatura.cli import main
sys.argv = ["trafilatura"] + sys.argv[1:]
main()
"""


def run_vnextract(portal, folder: Path, warc: bool = False) -> tuple[int, float, int]:
    seeds = portal.site_urls()
    before, start = len(portal.log), time.perf_counter()
    summary = run_crawl(seeds, str(folder / "out.jsonl"), folder / "state.sqlite", FetchSettings.load(delay_seconds=0.0),
                        warc=folder / "crawl.warc.gz" if warc else None, extract=article_extractor())
    return len(portal.log) - before, time.perf_counter() - start, summary.emitted


def run_trafilatura(portal, folder: Path) -> tuple[int, float, int]:
    config = folder / "trafilatura.cfg"
    config.write_text(TRAFILATURA_CONFIG, encoding="utf-8")
    seeds = folder / "seeds.txt"
    seeds.write_text("\n".join(portal.site_urls()) + "\n", encoding="utf-8")
    before, start = len(portal.log), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", TRAFILATURA_SHIM, "--crawl", "-i", str(seeds),
                           "--config-file", str(config)],
                          capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"trafilatura --crawl failed: {done.stderr.strip()[-500:]}")
    found = {line.strip() for line in done.stdout.splitlines()}
    return len(portal.log) - before, elapsed, len(found & set(portal.expected()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if importlib.util.find_spec("trafilatura") is None:
        raise SystemExit("trafilatura is not installed: pip install -e '.[bench]'")
    get_pipeline(None)  # the NLP models load once, before any clock starts
    portal_module = load_portal_module()
    runs = {"vnextract crawl --delay 0": run_vnextract,
            "vnextract crawl --delay 0 --warc": lambda portal, folder: run_vnextract(portal, folder, warc=True),
            "trafilatura --crawl": run_trafilatura}
    rows: dict[str, list[tuple[int, float, int]]] = {name: [] for name in runs}
    for _ in range(max(1, args.rounds)):
        for name in rows:  # a fresh portal each run: its one-time 503 trap is fresh for both
            with portal_module.PortalServer(crawl_delay=None) as portal, tempfile.TemporaryDirectory() as tmp:
                rows[name].append(runs[name](portal, Path(tmp)))
                total = len(portal.expected())
    print(f"sample portal: {total} articles on 4 platform sites; median of {args.rounds} rounds")
    print(f"{'crawler':34} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'articles found':>15}")
    for name, runs in rows.items():
        pages = statistics.median(r[0] for r in runs)
        seconds = statistics.median(r[1] for r in runs)
        found = statistics.median(r[2] for r in runs)
        print(f"{name:34} {pages:6.0f} {seconds:8.2f} {pages / seconds:8.1f} {found:15.0f}")


if __name__ == "__main__":
    main()
