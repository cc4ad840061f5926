"""/maps/gaps/: the unmet-demand choropleth, the worst cells and the suggested sites."""

import pytest
from django.urls import reverse

from maps import pages
from stations.models import FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, shortage

KIND = FacilityKind.CHARGING_POINT


@pytest.fixture
def gaps(db):
    i, j = cell_of(116.40, 39.90, 500)
    for k in range(4):
        cases_at(*centre_of(i + 8 * k, j, 500), k + 1, shortage(KIND))
    make_facility(*centre_of(i, j, 500), kind=KIND)  # serves the first spot
    return i, j


def test_it_lists_the_worst_cells_and_the_sites(staff_client, gaps):
    response = staff_client.get(reverse("maps:gap-map"), {"kind": KIND, "n": 2})
    assert response.status_code == 200
    page = response.context["page"]
    assert [c.unmet_demand for c in page.worst] == [4, 3, 2]
    assert [s.newly_covered for s in page.sites] == [4, 3]
    html = response.content.decode()
    assert html.count("<tr tabindex") == 2 + 3  # sites table + worst-cells table
    assert "总需求 10" in html


def test_it_analyses_charging_points_unless_told_otherwise(staff_client, gaps):
    response = staff_client.get(reverse("maps:gap-map"))
    assert response.status_code == 200
    assert response.context["page"].summary["kind"] == KIND


def test_it_caps_the_cells_drawn_and_says_so(staff_client, gaps, monkeypatch):
    monkeypatch.setattr(pages, "MAX_DRAWN_CELLS", 2)
    response = staff_client.get(reverse("maps:gap-map"), {"kind": KIND}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["page"].drawn == 2
    assert "the map shows the worst 2" in response.content.decode()


def test_it_shows_the_field_errors_of_the_form(staff_client, db):
    response = staff_client.get(reverse("maps:gap-map"), {"kind": KIND, "radius": "1",
                                                          "n": "500"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Radius (m):" in html and "Sites (n):" in html
    assert response.context["map"] is None
