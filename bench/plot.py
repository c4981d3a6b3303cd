"""docs/benchmarks-build.svg: cold build seconds against papers, on log scales."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from bench.figures import number
from bench.metrics import TARGETS

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 400, 64, 150, 36, 52
STEPS = (1, 2, 5)  # grid lines at 1, 2 and 5 times each power of ten


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    shape: str  # circle, square or target
    points: dict[int, float]  # papers: seconds


@dataclass(frozen=True)
class Scale:
    """Log-log axes spanning whole powers of ten: x0..x1 for papers, y0..y1 for seconds."""
    x0: int
    x1: int
    y0: int
    y1: int

    def px(self, n: float) -> float:
        return LEFT + (math.log10(n) - self.x0) / (self.x1 - self.x0) * (WIDTH - LEFT - RIGHT)

    def py(self, v: float) -> float:
        return HEIGHT - BOTTOM - (math.log10(v) - self.y0) / (self.y1 - self.y0) \
            * (HEIGHT - TOP - BOTTOM)


def render_svg(results: dict[int, dict]) -> str:
    """Cold build seconds against papers, both on log scales: sitegen, Hugo and the targets."""
    series = [
        Series("sitegen build", "#1f6feb", "circle", _values(results, "cold")),
        Series("Hugo, plain site", "#d97706", "square", _values(results, "hugo")),
        Series("issue's target", "#16a34a", "target",
               {n: t["cold"] for n, t in TARGETS.items() if "cold" in t}),
    ]
    scale = _scale(series)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
           "<title>Cold build time against the number of papers</title>",
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
           f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">Cold build (s) '
           "against papers, log-log</text>"]
    out += _grid(scale) + _frame()
    for i, line in enumerate(series):
        out += _series(line, i, scale)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _values(results: dict[int, dict], key: str) -> dict[int, float]:
    return {n: r["values"][key] for n, r in results.items() if key in r.get("values", {})}


def _scale(series: list[Series]) -> Scale:
    xs = [n for line in series for n in line.points] or [690]
    ys = [v for line in series for v in line.points.values() if v > 0] or [1.0]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    return Scale(x0, max(x1, x0 + 1), y0, max(y1, y0 + 1))


def _ticks(low: int, high: int) -> list[float]:
    """1, 2 and 5 times each power of ten from 10**low, up to 10**high."""
    return [step * 10.0**exponent for exponent in range(low, high + 1) for step in STEPS
            if step * 10.0**exponent <= 10.0**high]


def _grid(scale: Scale) -> list[str]:
    out = []
    for n in _ticks(scale.x0, scale.x1):
        x = scale.px(n)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                   f"{_short(n)}</text>")
    for v in _ticks(scale.y0, scale.y1):
        y = scale.py(v)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{_short(v)}</text>")
    return out


def _frame() -> list[str]:
    return [f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{HEIGHT - TOP - BOTTOM}" fill="none" stroke="#555"/>',
            f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT - 12}" '
            'text-anchor="middle">papers</text>',
            f'<text transform="translate(16 {(TOP + HEIGHT - BOTTOM) / 2:.0f}) rotate(-90)" '
            'text-anchor="middle">seconds</text>']


def _series(line: Series, index: int, scale: Scale) -> list[str]:
    """A series' line (if it has two points or more), its markers and its legend entry."""
    out = []
    ordered = sorted((n, v) for n, v in line.points.items() if v > 0)
    if len(ordered) > 1:
        dash = ' stroke-dasharray="5 4"' if line.shape == "target" else ""
        path = " ".join(f"{scale.px(n):.1f},{scale.py(v):.1f}" for n, v in ordered)
        out.append(f'<polyline points="{path}" fill="none" stroke="{line.colour}" '
                   f'stroke-width="2"{dash}/>')
    for n, v in ordered:
        out.append(_marker(line.shape, scale.px(n), scale.py(v), line.colour,
                           f"{line.name}: {n:,} papers, {number(v, 's')}"))
    ly = TOP + 12 + index * 20
    out.append(_marker(line.shape, WIDTH - RIGHT + 16, ly - 4, line.colour, line.name))
    out.append(f'<text x="{WIDTH - RIGHT + 26}" y="{ly}">{html.escape(line.name)}</text>')
    return out


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{html.escape(label)}</title>"
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                f'fill="{colour}">{tip}</rect>')
    if shape == "target":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#fff" stroke="{colour}" '
                f'stroke-width="2">{tip}</circle>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>'


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"
