import math
import random

import pytest

from stations.coords import from_wgs84, to_wgs84, wgs84_to_gcj02


def metres(a, b):
    """Small distances on the sphere: plenty for a 0.01 m tolerance check."""
    lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(a[0] - b[0]) * math.cos(lat) * 6371008.8
    dy = math.radians(a[1] - b[1]) * 6371008.8
    return math.hypot(dx, dy)


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_the_inverse_round_trips_within_a_centimetre(crs):
    rng = random.Random(7)
    for _ in range(2000):
        wgs = (rng.uniform(73.6, 134.7), rng.uniform(18.2, 53.5))
        shifted = from_wgs84(*wgs, crs)
        assert metres(shifted, wgs) > 20  # the offset is real (tens to hundreds of metres)
        back = to_wgs84(*shifted, crs)
        assert metres(back, wgs) < 0.01
        # and the residual against the public forward formula
        assert metres(from_wgs84(*back, crs), shifted) < 0.01


def test_the_offset_near_jiaxing_is_about_500_metres():
    wgs = (120.7693, 30.9445)
    assert 300 < metres(wgs84_to_gcj02(*wgs), wgs) < 700


def test_points_outside_china_are_unchanged():
    for point in [(2.35, 48.86), (-74.0, 40.7), (151.2, -33.9)]:
        assert to_wgs84(*point, "gcj02") == point
        assert wgs84_to_gcj02(*point) == point
