"""Charts as inline SVG: a report opens with no network and no charting script.

Each function returns SVG markup (a `markupsafe.Markup`, so Jinja2 inserts it as is); every label
is escaped here.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

BAR_COLOUR = "#3b6ea8"
ROW = 22  # px per bar or timeline row


def bar_chart(items: list[tuple[str, int]], title: str, width: int = 640, label_width: int = 180,
              colours: dict[str, str] | None = None) -> Markup:
    """Horizontal bars, one per (label, value), longest first as given.

    >>> svg = bar_chart([("2024-03", 5), ("2024-04", 2)], "Articles per month")
    >>> svg.startswith("<svg") and svg.count("<rect") == 2
    True
    """
    top = max((value for _, value in items), default=0) or 1
    bar_space = width - label_width - 60
    height = ROW * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for row, (label, value) in enumerate(items):
        y = 4 + row * ROW
        length = max(1, round(bar_space * value / top)) if value else 0
        colour = (colours or {}).get(label, BAR_COLOUR)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(_clip(label, 28))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{ROW - 6}" fill="{colour}">'
            f'<title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{label_width + length + 4}" y="{y + 15}">{value:,}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items: list[tuple[str, int]], title: str, height: int = 180, max_width: int = 900) -> Markup:
    """Vertical columns in the order given (a time series: articles per month).

    >>> column_chart([("2024-01", 3), ("2024-02", 0)], "Months").count("<rect")
    2
    """
    n = max(len(items), 1)
    column = max(3, min(28, (max_width - 50) // n))
    width = 50 + column * n
    top = max((value for _, value in items), default=0) or 1
    plot = height - 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="2" y="12">{top:,}</text><line x1="44" y1="{plot + 4}" x2="{width}" y2="{plot + 4}" '
             f'stroke="#999"/>']
    label_every = max(1, n // 12)
    for k, (label, value) in enumerate(items):
        x = 46 + k * column
        bar = round(plot * value / top)
        parts.append(f'<rect x="{x}" y="{plot + 4 - bar}" width="{column - 2}" height="{bar}" fill="{BAR_COLOUR}">'
                     f'<title>{escape(label)}: {value:,}</title></rect>')
        if k % label_every == 0:
            parts.append(f'<text x="{x}" y="{plot + 20}" font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(holders: list[tuple[str, str, str]], title: str, width: int = 760, label_width: int = 190) -> Markup:
    """Who held a position when: one row per (name, first day, last day) seen, on a shared date axis.

    >>> svg = timeline_chart([("A", "2020-01-05", "2021-06-01"), ("B", "2021-07-01", "2021-07-01")], "Chủ tịch")
    >>> svg.count("<rect")
    2
    """
    days = [_day(d) for _, first, last in holders for d in (first, last)]
    low, high = min(days), max(days)
    span = max((high - low).days, 1)
    plot = width - label_width - 20
    height = ROW * len(holders) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<text x="{label_width}" y="{height - 6}" font-size="10">{low.isoformat()}</text>'
             f'<text x="{width - 10}" y="{height - 6}" font-size="10" text-anchor="end">{high.isoformat()}</text>']
    for row, (name, first, last) in enumerate(holders):
        y = 4 + row * ROW
        x0 = label_width + plot * (_day(first) - low).days / span
        x1 = label_width + plot * (_day(last) - low).days / span
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(_clip(name, 26))}</text>'
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 4):.1f}" height="{ROW - 8}" rx="3" '
            f'fill="#8e5ea2"><title>{escape(name)}: {first} – {last}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
