"""Class breaks and legend of the graduated maps (quantiles of the positive values)."""

import json
import re

from maps.render import CLASS_COLOURS, class_breaks, graduated_style, legend


def test_it_cuts_positive_values_into_quantile_classes():
    assert class_breaks([0, 0, 1, 2, 3, 4, 5, 6], classes=3) == [2, 4, 6]
    assert class_breaks([5, 5, 5, 5]) == [5]  # one class when all values are equal
    assert class_breaks([0, 0]) == []


def test_it_labels_the_classes_and_spreads_the_colours_from_light_to_dark():
    rows = legend([2, 4, 6])
    assert [label for _, label in rows] == ["0 – 2", "2 – 4", "4 – 6"]
    assert [colour for colour, _ in rows] == [CLASS_COLOURS[0], CLASS_COLOURS[2], CLASS_COLOURS[5]]


def test_it_hands_the_browser_the_legend_colours():
    rows = legend([2, 4, 6])
    call = graduated_style([2, 4, 6], rows, "u")
    breaks, colours, key = re.fullmatch(r"waystation\.graduated\((.*), (\[.*\]), (.*)\)", call).groups()
    assert json.loads(breaks) == [2, 4, 6]
    assert json.loads(colours) == [colour for colour, _ in rows]
    assert json.loads(key) == "u"
