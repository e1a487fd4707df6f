"""`vnextract report`: figures over every record, a bounded page, and a real browser that opens it."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from extractor import cli
from extractor.record import FACT_FAMILIES
from extractor.report import aggregate
from extractor.report.aggregate import DEFAULT_SAMPLE
from extractor.research.registry import Registry

from .browser import Browser, chromium_path

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """The records of the sample corpus, made by `vnextract extract` as a user would."""
    folder = tmp_path_factory.mktemp("report")
    docs = folder / "docs.jsonl"
    with docs.open("w", encoding="utf-8") as out:
        for path in sorted((REPO / "corpus/articles").glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            doc = {k: gold.get(k) for k in ("id", "text", "published_at", "title", "url")}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    path = folder / "records.jsonl"
    assert cli.main(["extract", str(docs), "-o", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def report(records: Path) -> Path:
    path = records.parent / "report.html"
    assert cli.main(["report", str(records), "-o", str(path)]) == 0
    return path


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_figures_count_every_record(records: Path):
    recs = _lines(records)
    data = aggregate([str(records)])
    assert data.articles == len(recs) >= 30
    assert dict(data.facts_per_family) == {f: n for f in FACT_FAMILIES if (n := sum(len(r[f]) for r in recs))}
    assert data.articles_without_facts == sum(1 for r in recs if not any(r[f] for f in FACT_FAMILIES))
    assert sum(data.per_month.values()) == len(recs)
    assert data.per_month == Counter(r["published_at"][:7] if r["published_at"] else "unknown" for r in recs)
    # People are the research registry's persons (the ones `vnextract people` lists), every one of them.
    registry = Registry().add_all(recs)
    assert [(p.person_id, p.name) for p in data.registry.people()] == [(p.person_id, p.name) for p in registry.people()]
    assert {p.name for p in registry.people()} >= {o["name"] for r in recs for o in r["officials"]
                                                     if len(o["name"].split()) >= 3}
    units = Counter((q.get("unit") or "", q["kind"]) for r in recs for q in r["quantities"])
    assert {key: entry.facts for key, entry in data.units.items()} == dict(units)


def test_the_page_is_self_contained(report: Path):
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no external script, style, image or font.
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 5 and html.count('<mark class="f-dates"') > 10


def test_bad_lines_are_named_and_the_rest_reported(records: Path, tmp_path: Path, capsys):
    mixed = tmp_path / "mixed.jsonl"
    lines = records.read_text(encoding="utf-8").splitlines()
    mixed.write_text("\n".join([lines[0], "{not json", "[1, 2]", lines[1],
                                json.dumps({"id": "broken-1", "error": "ValueError: empty document"})]) + "\n",
                     encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli.main(["report", str(mixed), str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{mixed}:2" in err and f"{mixed}:3" in err and "missing.jsonl" in err
    html = out.read_text(encoding="utf-8")
    assert "broken-1" in html and "ValueError: empty document" in html
    data = aggregate([str(mixed)])
    assert (data.articles, data.extraction_error_count, data.input_problem_count) == (2, 1, 2)
    assert cli.main(["report", str(mixed), "-o", str(tmp_path / "no" / "such" / "r.html")]) == 2


def _archive(records: Path, path: Path, copies: int) -> Path:
    """`copies` × the corpus records, each copy with its own ids and months: a larger archive."""
    recs = _lines(records)
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for rec in recs:
                rec = dict(rec, id=f"{rec['id']}-{n}", published_at=f"{2000 + n % 20}-{n % 12 + 1:02d}-15")
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _peak_and_size(path: Path, out: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        assert cli.main(["report", str(path), "-o", str(out)]) == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, out.stat().st_size


def test_a_large_archive_keeps_memory_and_page_bounded(records: Path, tmp_path: Path):
    small = _archive(records, tmp_path / "small.jsonl", 10)
    large = _archive(records, tmp_path / "large.jsonl", 100)
    small_peak, small_size = _peak_and_size(small, tmp_path / "small.html")
    large_peak, large_size = _peak_and_size(large, tmp_path / "large.html")
    html = (tmp_path / "large.html").read_text(encoding="utf-8")
    assert html.count('<article class="doc') == DEFAULT_SAMPLE
    assert f"{sum(1 for _ in large.open()):,}</b>articles" in html
    # Ten times the records: memory and page grow by far less than ten times.
    assert large_peak < 2.5 * small_peak
    assert large_size < 2 * small_size


@pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium (`.ci/run` installs it)")
def test_chromium_opens_the_report_with_charts_and_highlights(report: Path, records: Path):
    with Browser() as browser:
        page = browser.open(report.as_uri())
        counts = page.evaluate("""({
            svg: document.querySelectorAll('svg.chart').length,
            rects: document.querySelectorAll('svg.chart rect').length,
            families: Array.from(new Set(Array.from(document.querySelectorAll('mark')).map(m => m.className))),
            hover: document.querySelector('mark.f-quantities').title,
            visible: Array.from(document.querySelectorAll('article.doc')).filter(a => a.offsetParent !== null).length,
            links: Array.from(document.querySelectorAll('a.person-link')).map(a => a.getAttribute('href')),
        })""")
        assert counts["svg"] >= 5 and counts["rects"] > 20
        assert {f"f-{f}" for f in FACT_FAMILIES} <= set(counts["families"])
        assert re.match(r"(count|ratio|percent|money|measure|duration): ", counts["hover"])
        assert 0 < counts["visible"] <= 20
        # A person's link leads to an article of the report, shown when followed (paging).
        assert counts["links"] and all(page.evaluate(f"!!document.getElementById({h[1:]!r})") for h in counts["links"])
        last = counts["links"][-1]
        page.evaluate(f"location.hash = {last!r}")
        assert page.evaluate(f"document.getElementById({last[1:]!r}).offsetParent !== null")
        # The units table filters as one types.
        rows = page.evaluate("document.querySelectorAll('#units-table tbody tr').length")
        shown = page.evaluate("""(() => { const box = document.querySelector('input[data-table=units-table]');
            box.value = 'hồ sơ'; box.dispatchEvent(new Event('input'));
            return Array.from(document.querySelectorAll('#units-table tbody tr')).filter(r => r.offsetParent !== null)
                .map(r => r.cells[0].textContent); })()""")
        assert 0 < len(shown) < rows and all("hồ sơ" in unit for unit in shown)
        page.evaluate("window.scrollTo(0, 0)")
        png = page.screenshot()
        assert page.errors == []
        page.close()
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] >= 800
    assert ImageStat.Stat(image).stddev[0] > 20  # not a blank page: text, bars and colours


def test_the_templates_are_package_data():
    from .test_packaging import PACKAGE, _shipped

    templates = [p for p in (PACKAGE / "report" / "templates").iterdir() if p.is_file()]
    assert templates and all(_shipped(str(p.relative_to(PACKAGE))) for p in templates)


def test_the_stderr_of_extract_lists_its_failures(tmp_path: Path, capsys):
    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"id": "ok-1", "text": "Sáng 14/3, quận đã giải quyết 30 hồ sơ."}\n{broken\n', encoding="utf-8")
    records = tmp_path / "records.jsonl"
    assert cli.main(["extract", str(docs), "-o", str(records)]) == 1
    log = tmp_path / "err.log"
    log.write_text(capsys.readouterr().err, encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli.main(["report", str(records), "--errors", str(log), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert f"{docs}:2" in html and "<b>1</b>extraction errors" in html
    assert cli.main(["report", str(records), "--errors", str(tmp_path / "none.log"), "-o", str(out)]) == 2


def test_a_post_in_two_wordings_is_one_timeline_of_its_holders(tmp_path: Path):
    """Holders come from the registry: two wordings of one post are one timeline, in time order,
    and a person is linked to the shown article naming them by a shorter mention too."""
    def record(n: int, day: str, name: str, title: str) -> dict:
        text = f"Ông {name}, {title}, dự họp."
        start = text.index(name)
        return {"id": f"a{n}", "text": text, "published_at": day, "site": "x.gov.vn",
                "officials": [{"name": name, "titles": [title], "mentions": [{"text": name, "start": start,
                                                                             "end": start + len(name)}]}]}
    records = tmp_path / "r.jsonl"
    rows = [record(1, "2019-03-02", "Nguyễn Văn An", "Chủ tịch UBND tỉnh Nghệ An"),
            record(2, "2020-05-04", "Nguyễn Văn An", "Chủ tịch Ủy ban nhân dân tỉnh Nghệ An"),
            record(3, "2022-07-09", "Lê Thị Bình", "Chủ tịch UBND tỉnh Nghệ An"),
            record(4, "2023-01-11", "Lê Thị Bình", "Chủ tịch Ủy ban nhân dân tỉnh Nghệ An")]
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli.main(["report", str(records), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    people = html[html.index('id="people"'):html.index('id="quantities"')]
    timelines = people[people.index("<h3>"):]
    assert timelines.count("<h4>") == 1 and "(2 holders, 4 articles)" in timelines
    assert timelines.index("Nguyễn Văn An") < timelines.index("Lê Thị Bình")
    assert people.count('class="person-link"') == 4
