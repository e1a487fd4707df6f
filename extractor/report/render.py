"""`ReportData` → one self-contained HTML file through a Jinja2 template.

The page needs no network: styles and the few lines of script (table search, article paging) are
inline, charts are inline SVG (`charts.py`).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..palette import FAMILY_COLOURS
from ..record import FACT_FAMILIES
from ..version import __version__
from ..research.registry import post_entry
from .aggregate import ReportData
from .charts import bar_chart, column_chart, timeline_chart

TOP_SITES = 20
TOP_UNITS = 25
TOP_PEOPLE = 300
TOP_POSITIONS = 6
HOLDERS_SHOWN = 12
UNIT_ROWS = 500
PAGE_SIZE = 20
LINKS_PER_PERSON = 12


def render_report(data: ReportData, title: str = "vnextract report") -> str:
    """The report page as a string.

    >>> from extractor.report.aggregate import ReportData
    >>> html = render_report(ReportData())
    >>> html.startswith("<!DOCTYPE html>") and "<svg" in html
    True
    """
    env = Environment(loader=PackageLoader("extractor.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["article_anchor"] = article_anchor
    template = env.get_template("report.html.j2")
    return template.render(title=title, version=__version__, page_size=PAGE_SIZE, **_context(data))


def _context(data: ReportData) -> dict[str, Any]:
    months = sorted(m for m in data.per_month if m != "unknown")
    month_series = _fill_months(months, data.per_month)
    if data.per_month.get("unknown"):
        month_series.append(("unknown", data.per_month["unknown"]))
    family_items = [(family, data.facts_per_family.get(family, 0)) for family in FACT_FAMILIES]
    people, timelines = _people(data), _timelines(data)
    units = sorted(data.units.values(), key=lambda u: (-u.facts, u.unit, u.kind))
    unit_items = [(f"{u.unit or '(no unit)'} · {u.kind}", u.facts) for u in units[:TOP_UNITS]]
    share = data.articles_without_facts / data.articles if data.articles else 0.0
    return {
        "data": data,
        "share_without_facts": share,
        "month_chart": column_chart(month_series, "Articles per month"),
        "site_chart": bar_chart(data.per_site.most_common(TOP_SITES), "Articles per site"),
        "family_chart": bar_chart(family_items, "Facts per family",
                                  colours={f: _darker(FAMILY_COLOURS[f]) for f in FACT_FAMILIES}),
        "kind_chart": bar_chart(data.quantity_kinds.most_common(), "Quantities per kind"),
        "unit_chart": bar_chart(unit_items, "Most frequent units", label_width=240),
        "units": units[:UNIT_ROWS],
        "unit_count": len(data.units),
        "people": people,
        "people_count": len(data.registry.people()),
        "timelines": timelines,
        "articles": [_article(index, item) for index, item in data.sample],
        "colours": FAMILY_COLOURS,
        "families": FACT_FAMILIES,
    }


def _people(data: ReportData) -> list[dict[str, Any]]:
    """The registry's most named persons, each with its posts and links to the shown articles
    whose officials resolve to it (the join `vnextract export` makes with `person_id`)."""
    registry = data.registry
    shown_naming: dict[str, list[str]] = {}
    for index, item in data.sample:
        for official, positions in registry.official_positions(item):
            person = registry.person_for(official["name"], positions)
            if person is not None:
                shown_naming.setdefault(person.person_id, []).append(str(item.get("id") or index))
    rows = []
    for person in registry.people()[:TOP_PEOPLE]:
        posts = [post_entry(post, article_ids=False) for post in person.positions()]
        seen = person.mentions.seen
        rows.append({"person_id": person.person_id, "name": person.name, "articles": len(seen.article_ids),
                     "titles": list(dict.fromkeys(p["canonical"] for p in posts))[:4],
                     "first": seen.first_seen, "last": seen.last_seen, "ambiguous": person.ambiguous,
                     "links": list(dict.fromkeys(shown_naming.get(person.person_id, [])))[:LINKS_PER_PERSON]})
    return rows


def _timelines(data: ReportData) -> list[dict[str, Any]]:
    """The posts named most often with two dated holders or more, from the registry (one post
    whatever its wording), each holder a bar from the first to the last day it was seen in it.
    A bare head ("Chủ tịch", "Thủ tướng") names no one post: its holders would be a crowd."""
    bare = _bare_heads()
    timelines = []
    for post in data.registry.positions():
        holders = [h for h in post["holders"] if h["first_seen"]]
        if len(holders) < 2 or post["canonical"].lower() in bare:
            continue
        shown = sorted(holders, key=lambda h: (-h["articles"], h["first_seen"]))[:HOLDERS_SHOWN]
        shown.sort(key=lambda h: (h["first_seen"], h["last_seen"], h["name"]))
        timelines.append({"title": post["canonical"], "articles": post["articles"], "holders": len(holders),
                          "svg": timeline_chart([(h["name"], h["first_seen"], h["last_seen"]) for h in shown],
                                                post["canonical"])})
        if len(timelines) == TOP_POSITIONS:
            break
    return timelines


def _bare_heads() -> frozenset[str]:
    """Titles that are only a head without the body they lead (rules/officials), lower case."""
    from ..facts.officials.lexicon import load_lexicon
    from ..rules_loader import load_rules

    return load_lexicon(load_rules()).heads


def _fill_months(months: list[str], counts) -> list[tuple[str, int]]:
    """Every month from the first to the last, empty ones at zero (a gap in a crawl shows)."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    last = tuple(map(int, months[-1].split("-")))
    series = []
    while (year, month) <= last:  # ends: the pair grows each step up to `last`
        key = f"{year:04d}-{month:02d}"
        series.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def _darker(colour: str) -> str:
    r, g, b = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(v * 0.75) for v in (r, g, b)))


def article_anchor(article_id: str) -> str:
    """The HTML id of an article's section.

    >>> article_anchor("hp 1/2")
    'article-hp-1-2'
    """
    return "article-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in article_id)


def _article(index: int, item: dict[str, Any]) -> dict[str, Any]:
    article_id = str(item.get("id") or index)
    text = item["text"]
    marks = list(_facts_of(item, len(text)))
    fact_list = {family: [] for family in FACT_FAMILIES}
    for start, end, family, tip in marks:
        if family in fact_list and family != "officials":
            fact_list[family].append((text[start:end], tip))
    for official in item.get("officials") or []:  # a person once, not once per mention
        if isinstance(official, dict) and official.get("name"):
            fact_list["officials"].append((official["name"], "; ".join(official.get("titles") or [])))
    return {"id": article_id, "anchor": article_anchor(article_id), "title": item.get("title") or article_id,
            "url": item.get("url"), "site": item.get("site"), "published_at": item.get("published_at"),
            "body": highlight(text, marks), "facts": fact_list}


def _facts_of(item: dict[str, Any], length: int):
    """(start, end, family, hover text) of every located fact of a record, bad offsets skipped."""
    for family in FACT_FAMILIES:
        for fact in item.get(family) or []:
            if not isinstance(fact, dict):
                continue
            if family == "officials":
                tip = fact.get("name", "") + ("" if not fact.get("titles") else " — " + "; ".join(fact["titles"]))
                places = [(m.get("start"), m.get("end"), "officials") for m in fact.get("mentions") or []]
                places += [(t.get("start"), t.get("end"), "titles") for t in fact.get("title_spans") or []]
                for start, end, kind in places:
                    if _valid(start, end, length):
                        yield start, end, kind, tip
            elif _valid(fact.get("start"), fact.get("end"), length):
                yield fact["start"], fact["end"], family, _tip(family, fact)


def _valid(start: Any, end: Any, length: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def _tip(family: str, fact: dict[str, Any]) -> str:
    if family == "dates":
        return f"{fact.get('kind')}: {fact.get('value')}" + (f" ({fact['part_of_day']})" if fact.get("part_of_day") else "")
    if family == "quantities":
        value = fact.get("value")
        total = f"/{fact['total']}" if fact.get("total") is not None else ""
        extra = f" [{fact['qualifier']}]" if fact.get("qualifier") else ""
        return f"{fact.get('kind')}: {value}{total} {fact.get('unit') or ''}{extra}".strip()
    if family == "organizations":
        return fact.get("expanded") or fact.get("text", "")
    if family == "locations":
        return f"{fact.get('type') or ''} {fact.get('name') or ''}".strip()
    return ""


def highlight(text: str, marks: list[tuple[int, int, str, str]]) -> Markup:
    """The text with each fact in a `<mark>` of its family; where facts overlap, the innermost
    (shortest) one colours the overlap and the others keep their own stretches.

    >>> str(highlight("Sáng 14/3 họp", [(0, 9, "dates", "date: 2024-03-14")]))
    '<mark class="f-dates" title="date: 2024-03-14">Sáng 14/3</mark> họp'
    """
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    by_length = sorted(marks, key=lambda m: m[1] - m[0])
    out = []
    for left, right in zip(cuts, cuts[1:]):
        piece = escape(text[left:right])
        inner = next((m for m in by_length if m[0] <= left and right <= m[1]), None)
        if inner is None:
            out.append(str(piece))
        else:
            out.append(f'<mark class="f-{inner[2]}" title="{escape(inner[3])}">{piece}</mark>')
    return Markup("".join(out))
