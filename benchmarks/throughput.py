"""Throughput of vnextract against its peers, on the corpus articles (not a test).

    .venv/bin/python benchmarks/throughput.py            # the full run (see benchmarks/README.md)
    .venv/bin/python benchmarks/throughput.py --quick    # a smoke run in a few seconds
    .venv/bin/python benchmarks/throughput.py --profile  # where one core spends its time

Prints, as medians over --repeats runs on a warm pipeline: articles/s and words/s for text→record
and HTML→record with --jobs 1 and --jobs 2, the peak RSS of each worker, and — in the same run, on
a sample of the same texts — underthesea `ner()` sentence by sentence and
`dateparser.search_dates(text, languages=["vi"])`, with the ratios against the bars of issue 5.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extractor.batch import WorkerPool, run_batch  # noqa: E402
from extractor.pipeline import get_pipeline  # noqa: E402

ARTICLES_DIR = REPO / "corpus" / "articles"
PORTAL_SERVER = REPO / "corpus" / "portal" / "server.py"

BARS = {
    "text_per_core": 100.0,     # text→record articles/s, --jobs 1
    "html_per_core": 50.0,      # HTML→record articles/s, --jobs 1
    "vs_ner": 50.0,             # × underthesea ner() articles/s
    "jobs2_speedup": 1.7,       # --jobs 2 over --jobs 1
    "rss_mb": 400.0,            # peak RSS per worker
}


# -- the documents ------------------------------------------------------------------------------

def load_articles() -> list[dict]:
    """The corpus articles (corpus/articles/*.json)."""
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(ARTICLES_DIR.glob("*.json"))]
    if not articles:
        sys.exit(f"no articles in {ARTICLES_DIR}")
    return articles


def bench_articles(articles: list[dict], count: int, min_words: int, seed: int = 5) -> list[dict]:
    """`count` articles of at least `min_words` words, each built from corpus articles picked at random
    (seeded), so the set repeats the corpus without being `count` copies of the same few texts."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        first = articles[i % len(articles)]
        parts = [first]
        while sum(len(a["text"].split()) for a in parts) < min_words and len(parts) < len(articles):
            parts.append(rng.choice([a for a in articles if a not in parts]))
        out.append({
            "id": f"bench-{i:05d}", "url": first.get("url"), "site": first.get("site"), "title": first.get("title"),
            "author": first.get("author"), "published_at": first.get("published_at"),
            "captions": first.get("captions", []), "text": "\n\n".join(a["text"] for a in parts),
        })
    return out


def load_portal_renderer() -> Callable[[dict, int], str] | None:
    """The sample portal's page renderer (vnPortal / Liferay / baochinhphu looks), when present."""
    if not PORTAL_SERVER.is_file():
        return None
    spec = importlib.util.spec_from_file_location("vnextract_sample_portal", PORTAL_SERVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)

    def render(article: dict, index: int) -> str:
        site_name = article.get("site") or "haiphong.gov.vn"
        site = module.SampleSite(name=site_name, platform=module.platform_of(site_name), articles=[article])
        return module.render_article(site, article, index)

    return render


def render_simple(article: dict, index: int) -> str:
    """A plain portal-like page, for when the sample portal is not there."""
    import html

    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n\n"))
    return (f"<html><head><title>{html.escape(article.get('title') or '')} - Cổng thông tin</title>"
            f'<meta property="article:published_time" content="{article.get("published_at") or ""}"></head>'
            f"<body><nav><a href='/'>Trang chủ</a><a href='/tin-tuc'>Tin tức</a></nav>"
            f"<h1>{html.escape(article.get('title') or '')}</h1><div class='content'>{paragraphs}</div>"
            f"<footer>Bản quyền thuộc Cổng thông tin điện tử</footer></body></html>")


def text_documents(articles: list[dict]) -> list[dict]:
    keys = ("id", "url", "title", "author", "site", "published_at", "text")
    return [{k: a[k] for k in keys if a.get(k) is not None} for a in articles]


def html_documents(articles: list[dict], render: Callable[[dict, int], str]) -> list[dict]:
    return [{"id": a["id"], "url": a.get("url"), "html": render(a, i)} for i, a in enumerate(articles)]


# -- measuring ----------------------------------------------------------------------------------

@dataclass
class Run:
    """Medians of one configuration."""

    label: str
    docs: int
    words: int
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # all processes of the run: robust to a busy machine
    worker_rss_mb: list[float] = field(default_factory=list)
    failures: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def articles_per_s(self) -> float:
        return self.docs / self.median

    @property
    def words_per_s(self) -> float:
        return self.words / self.median

    @property
    def articles_per_cpu_s(self) -> float:
        return self.docs / statistics.median(self.cpu_seconds)


def consume(outcomes: Iterable[Any]) -> tuple[list[str], int]:
    """Serialize every record as the CLI does (JSON lines), count failures."""
    lines, failures = [], 0
    for outcome in outcomes:
        if not outcome.ok:
            failures += 1
        else:
            lines.append(outcome.to_json())
    return lines, failures


def _count(run: Run, outcomes: Iterable[Any]) -> list[str]:
    lines, run.failures = consume(outcomes)
    return lines


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of a process, in MB; this process when pid is None.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over an exec, so a worker spawned
    (fork + exec) by a big process would report its parent's peak as its own.
    """
    status = Path(f"/proc/{pid if pid is not None else 'self'}/status")
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def cpu_seconds(pids: Iterable[int] = ()) -> float:
    """CPU time (user + system) of this process plus the given child processes."""
    total = time.process_time()
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(run: Run, passes: Callable[[], list[str]], pids: Iterable[int] = ()) -> list[str]:
    """One timed pass: wall and CPU seconds go into `run`; returns the JSON lines."""
    pids = list(pids)
    cpu0, start = cpu_seconds(pids), time.perf_counter()
    lines = passes()
    run.seconds.append(time.perf_counter() - start)
    run.cpu_seconds.append(cpu_seconds(pids) - cpu0)
    return lines


def measure_pair(kind: str, docs: list[dict], words: int, jobs: int, repeats: int) -> tuple[Run, Run, list[str], list[str]]:
    """Time `repeats` passes over `docs` with --jobs 1 and with --jobs N, alternating, so a change
    in the machine's load hits both alike. The pipeline and the workers are warmed before timing."""
    serial = Run(f"{kind}→record, --jobs 1", len(docs), words)
    parallel = Run(f"{kind}→record, --jobs {jobs}", len(docs), words)
    get_pipeline()
    consume(run_batch(docs[:100], jobs=1))  # warm caches the first documents would otherwise pay for
    serial_lines: list[str] = []
    parallel_lines: list[str] = []
    with WorkerPool(jobs, as_json=True) as pool:  # as the CLI runs it: workers write the JSON lines
        pool.warm()
        consume(pool.run(docs[:100 * jobs]))
        for _ in range(repeats):
            serial_lines = timed(serial, lambda: _count(serial, run_batch(docs, jobs=1, as_json=True)))
            parallel_lines = timed(parallel, lambda: _count(parallel, pool.run(docs)), pool.worker_pids())
        parallel.worker_rss_mb = [peak_rss_mb(pid) for pid in pool.worker_pids()]
    # No RSS for --jobs 1: this process also holds every document and output of the benchmark.
    return serial, parallel, serial_lines, parallel_lines


def document_caches() -> list[Callable[[], None]]:
    """Clearers of the per-process caches that repeated documents hit more often than an archive of
    distinct articles would: the functools.lru_caches of word segmentation and fact rules, and the
    bounded dict memos of words, chunks and phrases (tokenizer chunks, token tails, the lexicon's
    memos, the organizations' expansions)."""
    from extractor.facts import tokens
    from extractor.facts.officials import lexicon as officials_lexicon
    from extractor.nlp import blank_nlp

    found: dict[int, Callable[[], None]] = {}
    for name, module in list(sys.modules.items()):
        if name == "extractor.nlp" or name.startswith("extractor.facts"):
            for value in vars(module).values():
                if callable(value) and hasattr(value, "cache_clear") and hasattr(value, "cache_info"):
                    found[id(value)] = value.cache_clear
    memos = [blank_nlp().tokenizer._chunks, tokens._TAILS]
    pipeline = get_pipeline()
    lexicon = officials_lexicon.load_lexicon(pipeline.rules)
    memos += [lexicon.capitals_ok, lexicon.quiet_pieces, lexicon.title_keys]
    memos += [component._expanded for component in pipeline.components if hasattr(component, "_expanded")]
    for memo in memos:
        found[id(memo)] = memo.clear
    return list(found.values())


def measure_unseen(articles: list[dict], repeats: int) -> Run:
    """text→record on the corpus articles as written, every cache cleared before each article: the
    cost of text never seen before, which the repeated benchmark documents understate."""
    docs = text_documents(articles)
    run = Run("text→record, unseen text, --jobs 1", len(docs), sum(len(d["text"].split()) for d in docs))
    consume(run_batch(docs, jobs=1))
    caches = document_caches()
    for _ in range(repeats):
        wall = cpu = 0.0
        for doc in docs:
            for clear in caches:
                clear()
            cpu0, start = time.process_time(), time.perf_counter()
            consume(run_batch([doc], jobs=1))
            wall += time.perf_counter() - start
            cpu += time.process_time() - cpu0
        run.seconds.append(wall)
        run.cpu_seconds.append(cpu)
    return run


def paired_speedup(serial: Run, parallel: Run) -> float:
    """Median over repeats of (serial pass time / the parallel pass timed right after it)."""
    return statistics.median(a / b for a, b in zip(serial.seconds, parallel.seconds))


def differing(first: list[str], second: list[str]) -> int:
    """How many JSON lines differ (a different count counts as all)."""
    if len(first) != len(second):
        return max(len(first), len(second))
    return sum(a != b for a, b in zip(first, second))


def measure_dask(docs: list[dict], words: int, repeats: int) -> tuple[Run, list[str]]:
    """The Dask engine on a LocalCluster of 2 single-threaded worker processes."""
    import logging

    from distributed import Client, LocalCluster

    from extractor.batch_dask import run_batch_dask

    logging.getLogger("distributed").setLevel(logging.ERROR)
    run = Run("text→record, Dask LocalCluster 2×1", len(docs), words)
    lines: list[str] = []
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        consume(run_batch_dask(docs[:40], scheduler=client))
        pids = list(client.run(os.getpid).values())
        for _ in range(repeats):
            lines = timed(run, lambda: _count(run, run_batch_dask(docs, scheduler=client, as_json=True)), pids)
        run.worker_rss_mb = [mb for mb in client.run(lambda: peak_rss_mb()).values()]
    return run, lines


def measure_peers(texts: list[str], repeats: int) -> dict[str, Run]:
    """underthesea ner() per sentence and dateparser.search_dates on the same article texts."""
    import warnings

    warnings.filterwarnings("ignore")
    words = sum(len(t.split()) for t in texts)
    runs: dict[str, Run] = {}
    try:
        from underthesea import ner, sent_tokenize

        sentences = [sent_tokenize(t) for t in texts]
        ner(sentences[0][0])  # model load is not throughput
        run = Run("underthesea ner() per sentence", len(texts), words)
        for _ in range(repeats):
            timed(run, lambda: [ner(sentence) for article in sentences for sentence in article])
        runs["ner"] = run
    except ImportError as exc:
        print(f"  (underthesea not available: {exc})")
    try:
        from dateparser.search import search_dates

        search_dates(texts[0], languages=["vi"])
        run = Run("dateparser.search_dates(vi)", len(texts), words)
        for _ in range(repeats):
            timed(run, lambda: [search_dates(text, languages=["vi"]) for text in texts])
        runs["dateparser"] = run
    except ImportError as exc:
        print(f"  (dateparser not available: {exc}; pip install '.[bench]')")
    return runs


def stage_times(docs: list[dict], pages: list[dict]) -> dict[str, float]:
    """Milliseconds per article in each stage: page reading, normalization, the shared spaCy Doc,
    each fact component, overlap resolution + record, JSON. The stages of `Pipeline.extract_text`,
    timed one by one."""
    from datetime import datetime

    from extractor.document import Document
    from extractor.html import read_article
    from extractor.normalize import normalize_text
    from extractor.pipeline import build_record, resolve_overlaps

    pipeline = get_pipeline()
    totals: dict[str, float] = {}

    def clock(stage: str, start: float) -> float:
        now = time.perf_counter()
        totals[stage] = totals.get(stage, 0.0) + now - start
        return now

    for page in pages:
        start = time.perf_counter()
        read_article(page["html"], url=page.get("url"))
        clock("HTML page → article (extractor.html)", start)
    for doc in docs:
        start = time.perf_counter()
        text = normalize_text(doc["text"])
        start = clock("normalize_text", start)
        published = datetime.fromisoformat(doc["published_at"]) if doc.get("published_at") else None
        document = Document(text=text, rules=pipeline.rules, published_at=published, url=doc.get("url"))
        document.spacy_doc  # built once, shared by the components that match lexicons
        start = clock("spaCy Doc (SyllableTokenizer)", start)
        for component in pipeline.components:
            document.facts[component.name] = component(document)
            start = clock(f"component {component.name}", start)
        resolve_overlaps(document)
        record = build_record(document)
        start = clock("overlaps + record", start)
        record.to_json()
        clock("Record.to_json", start)
    return {stage: 1000 * seconds / (len(pages) if stage.startswith("HTML") else len(docs))
            for stage, seconds in totals.items()}


def profile(docs: list[dict], pages: list[dict], top: int, html_out: str | None) -> None:
    """Where one core spends its time on text→record: a per-stage table, then pyinstrument's call
    tree when it is installed, then cProfile's functions by own time."""
    get_pipeline()
    consume(run_batch(docs[:20], jobs=1))
    stage_times(docs[:20], pages[:20])
    stages = stage_times(docs, pages)
    print(f"ms per article by stage ({len(docs)} articles, {sum(len(d['text'].split()) for d in docs) // len(docs)} words each):")
    for stage, ms in stages.items():
        print(f"  {stage:<40} {ms:7.2f} ms")
    print(f"  {'text→record total (excluding HTML)':<40} {sum(v for k, v in stages.items() if not k.startswith('HTML')):7.2f} ms\n")
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        consume(run_batch(docs, jobs=1))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if html_out:
            Path(html_out).write_text(profiler.output_html(), encoding="utf-8")
            print(f"pyinstrument report written to {html_out}")
    import cProfile
    import pstats

    profiler_c = cProfile.Profile()
    profiler_c.enable()
    consume(run_batch(docs, jobs=1))
    profiler_c.disable()
    stats = pstats.Stats(profiler_c)
    stats.sort_stats("tottime").print_stats(top)


# -- reporting ----------------------------------------------------------------------------------

def row(run: Run) -> str:
    rss = f"{max(run.worker_rss_mb):7.0f}" if run.worker_rss_mb else "      -"
    spread = f"{min(run.seconds):.2f}–{max(run.seconds):.2f}s" if len(run.seconds) > 1 else f"{run.median:.2f}s"
    return (f"  {run.label:<38} {run.articles_per_s:9.1f} {run.words_per_s:9.0f} {run.articles_per_cpu_s:9.1f} {rss}  "
            f"median {run.median:.2f}s ({spread}, n={run.docs}){'  FAILURES=' + str(run.failures) if run.failures else ''}")


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def verdict(name: str, value: float, bar: float, higher: bool = True, unit: str = "") -> str:
    ok = value >= bar if higher else value <= bar
    return f"  {'PASS' if ok else 'FAIL'}  {name:<38} {value:10.1f}{unit}  (bar {'≥' if higher else '≤'} {bar:g}{unit})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents per pass (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per configuration (median)")
    parser.add_argument("--min-words", type=int, default=800,
                        help="join corpus articles until each document has this many words (0: as written)")
    parser.add_argument("--peer-sample", type=int, default=30, help="articles timed for the peers")
    parser.add_argument("--jobs", type=int, default=2, help="the parallel configuration (default 2)")
    parser.add_argument("--dask", action="store_true", help="also time the Dask engine on a 2-worker LocalCluster")
    parser.add_argument("--quick", action="store_true", help="100 documents, 1 repeat, 5 peer articles")
    parser.add_argument("--profile", action="store_true", help="profile text→record on one core and exit")
    parser.add_argument("--profile-top", type=int, default=30, help="cProfile rows to print")
    parser.add_argument("--profile-html", metavar="FILE", help="also write pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.repeats, args.peer_sample = 100, 1, 5

    articles = bench_articles(load_articles(), args.docs, args.min_words)
    texts = text_documents(articles)
    words = sum(len(d["text"].split()) for d in texts)
    render = load_portal_renderer()
    pages = html_documents(articles, render or render_simple)
    if args.profile:
        profile(texts, pages, args.profile_top, args.profile_html)
        return 0
    page_kb = statistics.mean(len(p["html"].encode("utf-8")) for p in pages) / 1024

    print(f"vnextract throughput — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"  {len(texts)} documents from {len(load_articles())} corpus articles, "
          f"{words / len(texts):.0f} words each on average; HTML pages {page_kb:.0f} KB each "
          f"({'sample-portal templates' if render else 'simple template'}); medians of {args.repeats} warm passes; "
          f"records serialized to JSON as the CLI does.")
    print(f"  load average before: {_loadavg()} (other processes on the machine skew wall-clock figures; "
          f"articles per CPU-second do not depend on them)")
    print(f"\n  {'configuration':<38} {'articles/s':>9} {'words/s':>9} {'art/CPU-s':>9} {'RSS MB':>7}")
    runs: dict[str, Run] = {}
    outputs: dict[str, list[str]] = {}
    for kind, docs in (("text", texts), ("html", pages)):
        one, many = f"{kind}1", f"{kind}{args.jobs}"
        runs[one], runs[many], outputs[one], outputs[many] = measure_pair(
            "text" if kind == "text" else "HTML", docs, words, args.jobs, args.repeats)
        print(row(runs[one]) + "\n" + row(runs[many]), flush=True)
    if args.dask:
        runs["dask"], outputs["dask"] = measure_dask(texts, words, args.repeats)
        print(row(runs["dask"]), flush=True)
    unseen = measure_unseen(load_articles(), args.repeats)
    print(row(unseen) + f"  → {unseen.words_per_s / (words / len(texts)):.1f} articles/s "
          f"at {words / len(texts):.0f} words", flush=True)

    sample = [d["text"] for d in texts[:max(1, min(args.peer_sample, len(texts)))]]
    peers = measure_peers(sample, args.repeats)
    for run in peers.values():
        print(row(run), flush=True)

    text1, html1 = runs["text1"], runs["html1"]
    parallel_text, parallel_html = runs[f"text{args.jobs}"], runs[f"html{args.jobs}"]
    print(f"  RSS MB: the largest worker's peak (VmHWM); this benchmark process (all documents and outputs "
          f"in memory): {peak_rss_mb():.0f} MB")
    print(f"  load average after: {_loadavg()}")
    print("\n  ratios (wall clock; per CPU-second in brackets)")
    for name, peer in peers.items():
        print(f"    text→record (--jobs 1) / {peer.label}: {text1.articles_per_s / peer.articles_per_s:8.1f}× "
              f"({text1.articles_per_cpu_s / peer.articles_per_cpu_s:.1f}×)")
    speedup_text, speedup_html = paired_speedup(text1, parallel_text), paired_speedup(html1, parallel_html)
    print(f"    --jobs {args.jobs} / --jobs 1 (median of paired passes): text {speedup_text:.2f}×, HTML {speedup_html:.2f}×")
    diffs = {kind: differing(outputs[f"{kind}1"], outputs[f"{kind}{args.jobs}"]) for kind in ("text", "html")}
    if "dask" in outputs:
        diffs["dask"] = differing(outputs["text1"], outputs["dask"])
    same = not any(diffs.values())
    print(f"    records differing from --jobs 1: " + ", ".join(f"{k} {v}" for k, v in diffs.items())
          + ("" if same else "  (if the code was edited during the run, workers started later run the new code)"))

    print("\n  bars (issue 5)")
    print(verdict("text→record articles/s, one core", text1.articles_per_s, BARS["text_per_core"]))
    print(verdict("HTML→record articles/s, one core", html1.articles_per_s, BARS["html_per_core"]))
    if "ner" in peers:
        print(verdict("× underthesea ner()", text1.articles_per_s / peers["ner"].articles_per_s, BARS["vs_ner"], unit="×"))
    print(verdict(f"--jobs {args.jobs} speed-up (text)", speedup_text, BARS["jobs2_speedup"], unit="×"))
    print(verdict(f"--jobs {args.jobs} speed-up (HTML)", speedup_html, BARS["jobs2_speedup"], unit="×"))
    worst_rss = max(max(parallel_text.worker_rss_mb), max(parallel_html.worker_rss_mb))
    print(verdict("peak RSS per worker", worst_rss, BARS["rss_mb"], higher=False, unit=" MB"))
    print(f"  {'PASS' if same else 'FAIL'}  same records serial / --jobs {args.jobs}" + (" / Dask" if "dask" in diffs else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
