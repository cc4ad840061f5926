"""Gap answers are cached, keyed on the parameters and a cheap fingerprint of the data."""

import pytest
from django.urls import reverse

from stations.models import Facility, FacilityKind, FacilityStatus
from tests.factories import make_facility
from tests.maps.support import cases_at, cell_of, centre_of, offset, shortage

KIND = FacilityKind.CANTEEN


@pytest.fixture
def cell(db):
    lon, lat = centre_of(*cell_of(116.40, 39.90, 500), 500)
    cases_at(lon, lat, 2, shortage(KIND))
    return lon, lat


def unmet(client, **params):
    body = client.get(reverse("maps:gap-cells"), {"kind": KIND, **params}).json()
    return body["summary"]["unmet_demand"]


def test_it_answers_a_repeated_request_from_the_cache(staff_client, cell,
                                                      django_assert_num_queries):
    assert unmet(staff_client) == 2
    # session, user, the data fingerprint, the read of the shared (database) cache: no gap query
    with django_assert_num_queries(4):
        assert unmet(staff_client) == 2


def test_it_does_not_mix_up_parameters(staff_client, cell):
    make_facility(*offset(*cell, north_m=1200), kind=KIND)
    assert unmet(staff_client, radius=1000) == 2
    assert unmet(staff_client, radius=1500) == 0


def test_it_sees_new_cases_at_once(staff_client, cell):
    assert unmet(staff_client) == 2
    cases_at(*cell, 3, shortage(KIND))
    assert unmet(staff_client) == 5


def test_it_sees_a_changed_facility_at_once(staff_client, cell):
    facility = make_facility(*offset(*cell, east_m=300), kind=KIND)
    assert unmet(staff_client) == 0
    Facility.objects.filter(pk=facility.pk).update(status=FacilityStatus.CLOSED)
    assert unmet(staff_client) == 2
