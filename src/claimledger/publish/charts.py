"""Charts drawn on the server as SVG: the estimates of a claim group over time (with
its legend) and the overview's range bars. The provenance graph is in graph.py.

Why hand-written SVG and not a charting library: the machine is offline (no CDN), the
pages must render fast with no build step, and both pictures are small (tens of points,
tens of nodes). SVG text is escaped like any HTML; colours are presentation attributes,
so the strict Content-Security-Policy (no inline styles, no inline script) holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

# Okabe-Ito first (tells series apart for colour-blind readers too), then Paul Tol's
# muted scheme: 16 colours that stay distinct on white. Past 16 origins a colour comes
# back with another marker shape, so that no two series look alike.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7a5c00", "#333333",
           "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#332288", "#CC6677", "#8c564b")
SHAPES = ("circle", "square", "triangle", "diamond")
GRADE_COLOURS = {"A": "#1b7f3b", "B": "#3f8f29", "C": "#b58a00", "D": "#c8611b", "E": "#b3261e", "F": "#6b6b6b"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
Y_TITLES = {
    "killed": "Number killed", "wounded": "Number wounded", "casualties": "Casualties (killed and wounded)",
    "captured": "Number captured", "missing": "Number missing", "deployed": "Number deployed",
    "strike": "Number of strikes", "combat": "Number (combat)",
}
X_TITLE = "Date the figure refers to"


def number(value: float | None) -> str:
    """12000 -> "12,000"; 1.5 -> "1.5"."""
    if value is None:
        return "?"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def parse_date(text: str | None) -> date | None:
    """An ISO date, or a year-month / year (first day), or None."""
    if not text:
        return None
    text = str(text)[:10]
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_text(when: date) -> str:
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def _attr(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def marker(shape: str, cx: float, cy: float, r: float, colour: str, tip: str | None = None) -> str:
    """A dot, square, triangle or diamond; with `tip`, its details on hover (SVG title)
    and on tap (data-tip, read by static/app.js)."""
    extra = f' {_attr(data_tip=tip)} tabindex="0"' if tip else ""
    title = f"<title>{escape(tip)}</title>" if tip else ""
    paint = f'fill="{colour}" stroke="#fff" stroke-width="1.5"{extra}'
    if shape == "square":
        side = r * 1.7
        return f'<rect x="{cx - side / 2:.1f}" y="{cy - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}" {paint}>{title}</rect>'
    if shape == "triangle":
        h = r * 1.25
        return (f'<polygon points="{cx:.1f},{cy - h:.1f} {cx + h:.1f},{cy + h * 0.8:.1f} {cx - h:.1f},{cy + h * 0.8:.1f}" '
                f"{paint}>{title}</polygon>")
    if shape == "diamond":
        h = r * 1.3
        return (f'<polygon points="{cx:.1f},{cy - h:.1f} {cx + h:.1f},{cy:.1f} {cx:.1f},{cy + h:.1f} {cx - h:.1f},{cy:.1f}" '
                f"{paint}>{title}</polygon>")
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" {paint}>{title}</circle>'


# ---------------------------------------------------------------- estimates over time

class _Scale:
    def __init__(self, lo: float, hi: float, a: float, b: float, log: bool):
        self.log = log
        self.lo, self.hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        self.a, self.b = a, b

    def __call__(self, value: float) -> float:
        v = math.log10(max(value, 10 ** self.lo)) if self.log else value
        span = (self.hi - self.lo) or 1.0
        return self.a + (v - self.lo) / span * (self.b - self.a)


def _nice_ticks(hi: float, log: bool, lo: float, count: int = 5) -> list[float]:
    if log:
        return [10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]
    raw = hi / count or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(int(hi / step) + 2)]


@dataclass(frozen=True)
class Series:
    """The figures of one origin: its name, colour, marker shape and dated points."""

    name: str
    colour: str
    shape: str
    points: list[dict]


def _nicer(a: str, b: str) -> str:
    """Of two spellings of one name, the one a reader expects ("Several media reports")."""
    return a if sum(ch.isupper() for ch in a) >= sum(ch.isupper() for ch in b) else b


def series_of(points: list[dict], key_of=None) -> list[Series]:
    """One series per origin, the most prolific first. `key_of(name)` gives the source an
    origin's name stands for, so that spellings of one source ("Several media reports",
    "several media reports") are one series; by default the name, case folded."""
    key_of = key_of or (lambda name: name.casefold())
    by_origin: dict[str, list[dict]] = defaultdict(list)
    names: dict[str, str] = {}
    for point in points:
        when = parse_date(point.get("date"))
        value = point.get("best")
        if value is None:
            value = point.get("low") if point.get("low") is not None else point.get("high")
        if when is None or value is None:
            continue
        name = point.get("origin") or "unknown"
        key = key_of(name)
        if names.get(key) != name:
            names[key] = _nicer(names[key], name) if key in names else name
        by_origin[key].append(dict(point, when=when, value=float(value)))
    ordered = sorted(by_origin.items(), key=lambda item: (-len(item[1]), names[item[0]].casefold()))
    return [
        Series(names[key], PALETTE[i % len(PALETTE)], SHAPES[(i + i // len(PALETTE)) % len(SHAPES)],
               sorted(ps, key=lambda p: p["when"]))
        for i, (key, ps) in enumerate(ordered)
    ]


def chart_legend(series: list[Series]) -> Markup:
    """The legend of a chart, one entry per origin: its marker and name (HTML, so that it
    wraps and stays readable at any width)."""
    if not series:
        return Markup("")
    items = []
    for s in series:
        icon = (f'<svg class="key" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
                f"{marker(s.shape, 7, 7, 5, s.colour)}</svg>")
        count = len(s.points)
        items.append(f'<li>{icon}<span>{escape(s.name)} <span class="muted">({count} figure{"s" if count != 1 else ""})'
                     f"</span></span></li>")
    return Markup(f'<ul class="legend" aria-label="Legend: one colour and marker per origin">{"".join(items)}</ul>')


def _months(first: date, last: date) -> list[date]:
    month, out = date(first.year, first.month, 1), []
    while month <= last:
        out.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return out


def estimates_chart(points: list[dict] | list[Series], event: str | None = None, width: int = 900,
                    height: int = 320, compact: bool = False) -> Markup:
    """One series per origin: a marker at the best figure, a whisker (or a band between two
    dated ranges) from low to high, an arrow where the figure is open ("more than").
    Axis titles say what is counted and when; the time axis names the years. `compact`
    draws it for a phone: fewer ticks, so that the labels stay full size."""
    series = points if points and isinstance(points[0], Series) else series_of(points)
    if not series:
        return Markup("")
    left, right, top, bottom = (68, 12, 14, 62) if compact else (80, 16, 16, 62)
    values = [p["value"] for s in series for p in s.points]
    values += [p[b] for s in series for p in s.points for b in ("low", "high") if p.get(b) is not None]
    positive = [v for v in values if v > 0 and v != float("inf")] or [1.0]
    hi, lo = max(positive), min(positive)
    log = hi / lo > 60
    hi_axis = hi * (1.6 if log else 1.12)
    ticks = _nice_ticks(hi_axis, log, lo, 4 if compact else 5)
    hi_axis = max(ticks[-1], hi_axis) if not log else ticks[-1]
    y = _Scale(ticks[0] if log else 0.0, hi_axis, height - bottom, top, log)
    dates = [p["when"] for s in series for p in s.points]
    first, last = min(dates), max(dates)
    pad = max((last - first).days * 0.06, 12)
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
    span = (last - first).days or 1

    def x(when: date) -> float:
        return left + (when - first).days / span * (width - left - right)

    label = f"Estimates over time{f' ({event})' if event else ''}: {len(series)} origin{'s' if len(series) != 1 else ''}"
    kind = "narrow" if compact else "wide"
    out = [(f'<svg class="chart {kind}" viewBox="0 0 {width} {height}" role="img" {_attr(aria_label=label)} '
            f'xmlns="http://www.w3.org/2000/svg">'), f"<title>{escape(label)}</title>"]
    for tick in ticks:
        ty = y(tick)
        if ty < top - 1:
            continue
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e3e6ea" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" class="tick">{escape(number(tick))}</text>')
    months = [m for m in _months(first, last) if m >= first]
    most = 4 if compact else 8
    step = next((n for n in (1, 2, 3, 6, 12, 24, 60) if math.ceil(len(months) / n) <= most), 120)
    shown = [m for m in months if (m.month - 1) % min(step, 12) == 0 and (step < 12 or m.year % (step // 12) == 0)]
    base = height - bottom
    year_shown = None
    days = not shown  # a few weeks inside one month: the first and last days, named
    if days:
        ends = sorted({min(dates), max(dates)})
        shown = ends if compact or len(ends) < 2 or (ends[1] - ends[0]).days > 3 else ends[:1]
    for m in shown:
        mx = x(m)
        out.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{base}" stroke="#f0f2f4" stroke-width="1"/>')
        if step >= 12 and not days:
            out.append(f'<text x="{mx:.1f}" y="{base + 18}" text-anchor="middle" class="tick">{m.year}</text>')
            continue
        label = f"{m.day} {MONTHS[m.month - 1]}" if days else MONTHS[m.month - 1]
        out.append(f'<text x="{mx:.1f}" y="{base + 18}" text-anchor="middle" class="tick">{label}</text>')
        if m.year != year_shown:
            out.append(f'<text x="{mx:.1f}" y="{base + 33}" text-anchor="middle" class="tick year">{m.year}</text>')
            year_shown = m.year
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="#9aa3ad" stroke-width="1"/>')
    y_title = Y_TITLES.get(event or "", "Figure") + (" (log scale)" if log else "")
    out.append(f'<text x="12" y="{(top + base) / 2:.1f}" text-anchor="middle" class="axis-title" '
               f'transform="rotate(-90 12 {(top + base) / 2:.1f})">{escape(y_title)}</text>')
    out.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
               f'class="axis-title">{escape(X_TITLE)}</text>')
    for s in series:
        out.append(_series_svg(s, x, y, first, span, 60 if compact else 150))
    out.append("</svg>")
    return Markup("".join(out))


def _binned(points: list[dict], first: date, span: int, bins: int) -> list[dict]:
    """At most about `bins` points: those falling in one slice of the time axis become one,
    at their median date and figure, ranging from the lowest to the highest, so that a
    group of thousands of reports draws a chart of a few hundred marks."""
    if len(points) <= bins:
        return points
    slices: dict[int, list[dict]] = defaultdict(list)
    for p in points:
        slices[int((p["when"] - first).days / span * bins)].append(p)
    out = []
    for _, ps in sorted(slices.items()):
        if len(ps) == 1:
            out.append(ps[0])
            continue
        values = sorted(p["value"] for p in ps)
        lows = [p["low"] if p.get("low") is not None else p["value"] for p in ps]
        highs = [p["high"] if p.get("high") is not None else p["value"] for p in ps]
        whens = sorted(p["when"] for p in ps)
        out.append({"when": whens[len(whens) // 2], "value": values[len(values) // 2], "low": min(lows),
                    "high": max(highs), "count": len(ps), "since": whens[0], "until": whens[-1]})
    return out


def _series_svg(s: Series, x, y, first: date, span: int, bins: int) -> str:
    colour, ps = s.colour, _binned(s.points, first, span, bins)
    out = [f'<g class="series" {_attr(data_origin=s.name)}>']
    ranged = [p for p in ps if p.get("low") is not None and p.get("high") is not None and p["high"] != float("inf")]
    if len(ranged) >= 2:
        upper = " ".join(f"{x(p['when']):.1f},{y(p['high']):.1f}" for p in ranged)
        lower = " ".join(f"{x(p['when']):.1f},{y(p['low']):.1f}" for p in reversed(ranged))
        out.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.14" stroke="none"/>')
    by_date: dict[date, list[float]] = defaultdict(list)
    for p in ps:
        by_date[p["when"]].append(p["value"])
    if len(by_date) >= 2:  # one vertex per date (the median), so same-day figures draw no spike
        line = " ".join(f"{x(when):.1f},{y(sorted(vs)[len(vs) // 2]):.1f}" for when, vs in sorted(by_date.items()))
        out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-opacity="0.7"/>')
    for p in ps:
        px, py = x(p["when"]), y(p["value"])
        low, high = p.get("low"), p.get("high")
        high = None if high == float("inf") else high
        if low is not None and high is not None and high > low:
            y1, y2 = y(low), y(high)
            out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2"/>')
            for cap in (y1, y2):
                out.append(f'<line x1="{px - 5:.1f}" x2="{px + 5:.1f}" y1="{cap:.1f}" y2="{cap:.1f}" stroke="{colour}" stroke-width="2"/>')
        elif low is not None and high is None:  # "more than": open upwards
            out.append(f'<path d="M{px:.1f},{py:.1f} V{py - 22:.1f} M{px - 5:.1f},{py - 16:.1f} L{px:.1f},{py - 23:.1f} L{px + 5:.1f},{py - 16:.1f}" fill="none" stroke="{colour}" stroke-width="2"/>')
        elif high is not None and low is None:  # "up to": open downwards
            out.append(f'<path d="M{px:.1f},{py:.1f} V{py + 22:.1f} M{px - 5:.1f},{py + 16:.1f} L{px:.1f},{py + 23:.1f} L{px + 5:.1f},{py + 16:.1f}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if low is not None and high is not None and high > low:
            bounds = f" (range {number(low)}\u2013{number(high)})"
        elif low is not None and high is None and low != float("inf"):
            bounds = " or more"
        elif high is not None and low is None:
            bounds = " at most"
        else:
            bounds = ""
        tip = f"{s.name}: {number(p['value'])}{bounds}, {day_text(p['when'])}"
        if p.get("count"):
            tip = (f"{s.name}: {p['count']} figures from {day_text(p['since'])} to {day_text(p['until'])}, "
                   f"median {number(p['value'])}{bounds}")
        out.append(marker(s.shape, px, py, 5.5, colour, tip))
    out.append("</g>")
    return "".join(out)


def range_bar(estimate: dict | None, scale_max: float, width: int = 120) -> Markup:
    """A tiny bar for the overview: low..high with a tick at the best figure."""
    if not estimate or estimate.get("best") is None or scale_max <= 0:
        return Markup("")
    def pos(v):
        return 2 + min(max(math.log1p(v) / math.log1p(scale_max), 0), 1) * (width - 4)
    best = float(estimate["best"])
    low = float(estimate.get("low") if estimate.get("low") is not None else best)
    high = estimate.get("high")
    high = float(high) if high is not None and high != float("inf") else best
    out = [f'<svg class="rangebar" viewBox="0 0 {width} 12" width="{width}" height="12" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="2" x2="{width - 2}" y1="6" y2="6" stroke="#e3e6ea" stroke-width="4" stroke-linecap="round"/>',
           f'<line x1="{pos(low):.1f}" x2="{max(pos(high), pos(low) + 1):.1f}" y1="6" y2="6" stroke="#7fa7cf" stroke-width="4" stroke-linecap="round"/>',
           f'<circle cx="{pos(best):.1f}" cy="6" r="4" fill="#0b4f8a"/></svg>']
    return Markup("".join(out))
