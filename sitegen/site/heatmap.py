"""The home page's heat map: how busy each cell (a topic and a family) is, and its colours.

The fills are declared here once, per colour scheme. The count written on a cell takes
whichever ink contrasts more with that cell's fill (WCAG 2's contrast ratio, which
follows brightness), so every count stays readable, as WCAG AA asks (4.5:1), in the
light and the dark scheme alike. The home page's style rules are made from `SHADES`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Cell fills from the fewest papers to the most: darker and darker on the light page,
# lighter and lighter on the dark one.
FILLS = {
    "light": ("#e3ecf8", "#bcd2ee", "#86b0e0", "#3b6fb3", "#1f4f96"),
    "dark": ("#1b2a40", "#22406a", "#2d5a96", "#5f93dc", "#8fb8f2"),
}
INKS = ("#10151c", "#ffffff")  # the counts are written in one of these
LEVELS = len(FILLS["light"])  # level 0 is an empty cell, which has no fill


@dataclass(frozen=True)
class Colours:
    fill: str
    ink: str


@dataclass(frozen=True)
class Shade:
    """How cells of one level look in each colour scheme."""

    level: int
    light: Colours
    dark: Colours


def level(count: int, most: int) -> int:
    """0 for an empty cell, else 1 to LEVELS on a square-root scale of the busiest cell
    (a few busy cells would otherwise leave all the others pale)."""
    if not count:
        return 0
    return max(1, min(LEVELS, round(LEVELS * (count / most) ** 0.5)))


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a `#rrggbb` colour: 0 for black, 1 for white."""
    channels = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(fill: str) -> str:
    """The colour to write on `fill`: dark on a bright cell, light on a dark one."""
    return max(INKS, key=lambda colour: contrast(colour, fill))


def _shades() -> tuple[Shade, ...]:
    pairs = zip(FILLS["light"], FILLS["dark"], strict=True)  # a fill per level in each
    return tuple(Shade(n, Colours(a, ink(a)), Colours(b, ink(b)))
                 for n, (a, b) in enumerate(pairs, start=1))


SHADES = _shades()
