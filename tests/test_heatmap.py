"""The heat map's scale: how busy a cell is, and counts written in a colour readable on it."""

from __future__ import annotations

import pytest

from sitegen.site.heatmap import FILLS, INKS, LEVELS, SHADES, contrast, ink, level, luminance

AA_TEXT = 4.5  # WCAG 2 AA's least contrast for text of normal size


@pytest.mark.parametrize(("one", "other", "ratio"), [
    ("#000000", "#ffffff", 21.0),  # the largest contrast there is
    ("#ffffff", "#000000", 21.0),  # in either order
    ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white, as often quoted
    ("#777777", "#ffffff", 4.48),  # and the next, which fails
    ("#1f4f96", "#1f4f96", 1.0),
])
def test_contrast_is_wcag_2s_ratio(one, other, ratio):
    assert contrast(one, other) == pytest.approx(ratio, abs=0.005)


def test_every_count_meets_wcag_aa_on_its_cell_in_both_schemes():
    assert [shade.level for shade in SHADES] == list(range(1, LEVELS + 1))
    for shade in SHADES:
        for scheme in (shade.light, shade.dark):
            assert scheme.ink in INKS
            assert contrast(scheme.ink, scheme.fill) >= AA_TEXT, (shade.level, scheme)


def test_counts_are_dark_on_bright_cells_and_light_on_dark_ones():
    darkest, lightest = sorted(INKS, key=luminance)
    assert ink("#ffffff") == ink("#e3ecf8") == darkest
    assert ink("#000000") == ink("#1b2a40") == lightest


def test_busier_cells_stand_out_more_from_the_page_in_each_scheme():
    light = [luminance(fill) for fill in FILLS["light"]]
    dark = [luminance(fill) for fill in FILLS["dark"]]
    assert light == sorted(light, reverse=True)  # darker and darker on a light page
    assert dark == sorted(dark)  # lighter and lighter on a dark page


def test_levels_grow_with_the_count_up_to_the_busiest_cell():
    most = 200
    levels = [level(count, most) for count in range(most + 1)]
    assert levels[0] == 0  # only an empty cell has no fill
    assert levels[1] == 1 and levels[most] == LEVELS
    assert levels == sorted(levels)
    assert set(levels) == set(range(LEVELS + 1))
