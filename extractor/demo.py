"""`vnextract demo`: serve the bundled sample portal on localhost, crawl it, print the records.

The sample portal (corpus/portal/server.py) renders the annotated corpus articles as four
government-portal sites in three platform templates, traps included; the demo crawls every
site with the real crawler (robots.txt, politeness, state) and writes JSONL to stdout.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from .fetch.crawler import CrawlBounds, run_crawl
from .fetch.settings import FetchSettings
from .pipeline import article_extractor

# extractor/sample_corpus/ links to corpus/portal and corpus/articles in a checkout and holds copies
# of them in a wheel, so the demo runs from either.
PORTAL_SERVER = Path(__file__).resolve().parent / "sample_corpus" / "portal" / "server.py"


def load_portal_module(path: Path = PORTAL_SERVER) -> ModuleType:
    """Import the sample portal (corpus/portal/server.py, shipped as extractor/sample_corpus/portal).

    >>> load_portal_module().PortalServer.__name__
    'PortalServer'
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the sample portal is not here (a broken install? reinstall vnextract)")
    spec = importlib.util.spec_from_file_location("vnextract_sample_portal", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def demo_command(args) -> int:
    """Serve the sample portal, crawl it with delay 0, write records to stdout (or -o); exit 0 on success.

    >>> import argparse
    >>> demo_command(argparse.Namespace(max=1, output=None, rules=None))  # doctest: +SKIP
    0
    """
    try:
        portal_module = load_portal_module()
    except FileNotFoundError as exc:
        print(f"vnextract demo: {exc}", file=sys.stderr)
        return 1
    settings = FetchSettings.load(getattr(args, "rules", None), delay_seconds=0.0)
    started = time.monotonic()
    with portal_module.PortalServer() as portal, tempfile.TemporaryDirectory(prefix="vnextract-demo-") as tmp:
        seeds = portal.site_urls()
        for site in portal.sites:
            print(f"vnextract demo: serving {site.name} ({site.platform}) at {site.base_url}/",
                  file=sys.stderr, flush=True)
        summary = run_crawl(seeds, getattr(args, "output", None), Path(tmp) / "state.sqlite", settings,
                            getattr(args, "rules", None), CrawlBounds(max_articles=args.max),
                            site_names={f"127.0.0.1:{s.port}": s.name for s in portal.sites},
                            extract=article_extractor(getattr(args, "rules", None)))
        requests_made = len(portal.log)
    elapsed = time.monotonic() - started
    print(f"vnextract demo: {summary.emitted} articles from {len(seeds)} sites, {requests_made} requests, "
          f"{summary.skipped} skipped, {len(summary.failed)} failed, {elapsed:.1f} s", file=sys.stderr, flush=True)
    return 1 if summary.failed else 0
