"""/maps/heatmap/: case density as counts per equal-area cell, filtered, never per case."""

import json
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from cases.models import Category
from maps import pages
from stations.hours import LOCAL_ZONE
from tests.factories import make_area, square
from tests.maps.support import cases_at, cell_of, centre_of

DAY = datetime(2026, 5, 4, 9, 0, tzinfo=LOCAL_ZONE)


@pytest.fixture
def spots(db):
    """4 safety cases in one cell, 2 wage cases (a week later) in a cell 5 km east."""
    i, j = cell_of(116.40, 39.90, 500)
    west, east = centre_of(i, j, 500), centre_of(i + 10, j, 500)
    city = make_area(square(116.3, 39.8, 0.3), level="city")
    cases_at(*west, 4, Category.SAFETY, created_at=DAY, area=city)
    cases_at(*east, 2, Category.WAGE_ARREARS, created_at=DAY + timedelta(days=7))
    return city


def counts(result) -> list[int]:
    """The counts of the case-density layer (the area's outline is a layer too)."""
    for blob in re.findall(r"_add\((\{.*?\})\);\n", str(result.parts.script)):
        features = json.loads(blob).get("features", [])
        if features and "n" in features[0]["properties"]:
            return sorted(f["properties"]["n"] for f in features)
    return []


def test_it_counts_cases_per_cell(spots):
    result = pages.heatmap()
    assert (result.cases, result.cells, result.cell) == (6, 2, 500)
    assert counts(result) == [2, 4]


def test_it_filters_by_category_day_and_area(spots):
    assert counts(pages.heatmap(category=[Category.WAGE_ARREARS])) == [2]
    assert counts(pages.heatmap(since=(DAY + timedelta(days=1)).date())) == [2]
    assert counts(pages.heatmap(until=DAY.date())) == [4]
    assert counts(pages.heatmap(area=spots)) == [4]


def test_it_coarsens_the_grid_to_keep_the_page_small(spots, monkeypatch):
    monkeypatch.setattr(pages, "HEATMAP_MAX_CELLS", 4)
    result = pages.heatmap(cell=500)
    assert result.cell > 500 and result.requested_cell == 500
    assert sum(counts(result)) == 6


def test_it_never_puts_case_text_on_the_page(staff_client, spots):
    cases_at(116.40, 39.90, 1, Category.OTHER)
    html = staff_client.get(reverse("maps:heatmap")).content.decode()
    assert "测试诉求" not in html and "test case" not in html  # the descriptions
    assert "7 件有位置的诉求" in html


def test_it_names_bad_filters(staff_client, db):
    url = reverse("maps:heatmap")
    response = staff_client.get(
        url, {"category": ["safety", "gossip"], "cell": "5"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Category: #2: " in html and "gossip" in html and "Cell (m): " in html
    response = staff_client.get(url, {"since": "2026-02-02", "until": "2026-01-01"})
    assert response.status_code == 400
    assert "截止日期: " in response.content.decode()  # the label of `until`, in Chinese
