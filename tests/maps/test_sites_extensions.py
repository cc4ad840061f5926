"""include_extensions: keeping an existing facility open through the window, ranked with new
sites in one greedy order; applying the proposal covers what it said."""

from datetime import datetime

import pytest
from django.urls import reverse

from maps.gaps import GapQuery, gap_cells
from maps.sites import EXTENSION, SITE, suggest_sites
from maps.window import parse_window
from stations.hours import LOCAL_ZONE
from stations.models import Facility, FacilityKind
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

CELL = 500
KIND = FacilityKind.REST_STATION
NIGHT = datetime(2026, 11, 26, 23, 30, tzinfo=LOCAL_ZONE)  # Thursday
WINDOW = "22:00-02:00"


@pytest.fixture
def town(db):
    """West: 5 night cases around a day-only station (王店镇工会驿站); east, 8 km off: 3 night
    cases around nothing, and 1 more 3 km south of those."""
    i, j = cell_of(116.40, 39.90, CELL)
    west = centre_of(i, j, CELL)
    cases_at(*west, 3, shortage(KIND), created_at=NIGHT)
    cases_at(*centre_of(i + 1, j, CELL), 2, shortage(KIND), created_at=NIGHT)
    east = centre_of(i + 16, j, CELL)
    cases_at(*east, 3, shortage(KIND), created_at=NIGHT)
    cases_at(*centre_of(i + 16, j - 6, CELL), 1, shortage(KIND), created_at=NIGHT)
    return make_facility(*offset(*west, east_m=250), kind=KIND, name="王店镇工会驿站",
                         opening_hours="Mo-Sa 08:00-20:00")


def query() -> GapQuery:
    return GapQuery(kind=KIND, cell=CELL, window=parse_window(WINDOW))


def test_it_ranks_an_extension_with_new_sites(town):
    sites = suggest_sites(gap_cells(query()), 3, include_extensions=True).sites
    assert [(s.proposal, s.newly_covered) for s in sites] == [(EXTENSION, 5), (SITE, 3), (SITE, 1)]
    extension = sites[0]
    assert extension.facility_id == town.pk and extension.facility_name == "王店镇工会驿站"
    assert extension.proposed_hours == "Mo-Sa 08:00-20:00; 22:00-02:00"
    assert (extension.lon, extension.lat) == pytest.approx(town.location.coords)
    # Without the flag, only new sites: one in the west now takes the extension's place.
    plain = suggest_sites(gap_cells(query()), 3).sites
    assert {s.proposal for s in plain} == {SITE}


def test_applying_the_extension_covers_what_it_said(town):
    before = gap_cells(query())
    extension = suggest_sites(before, 1, include_extensions=True).sites[0]
    facility = Facility.objects.get(pk=extension.facility_id)
    facility.opening_hours = extension.proposed_hours
    facility.save()
    after = gap_cells(query())
    assert before.unmet_demand - after.unmet_demand == pytest.approx(extension.newly_covered)
    # and it is no longer proposed: it is open throughout the window now
    assert all(s.proposal == SITE
               for s in suggest_sites(after, 3, include_extensions=True).sites)


def test_the_api_returns_extensions_as_features(staff_client, town):
    response = staff_client.get(reverse("maps:gap-sites"), {
        "kind": KIND, "cell": CELL, "hours": WINDOW, "n": 2, "include_extensions": "true",
    })
    assert response.status_code == 200
    first, second = response.json()["features"]
    assert first["properties"]["proposal"] == "extension"
    assert first["properties"]["newly_covered"] == 5
    assert first["properties"]["facility"] == {
        "id": town.pk, "name": "王店镇工会驿站", "opening_hours": "Mo-Sa 08:00-20:00",
        "proposed_hours": "Mo-Sa 08:00-20:00; 22:00-02:00",
    }
    assert second["properties"]["proposal"] == "site" and "facility" not in second["properties"]
