"""Staff attach or correct location, category and description; each change is an event."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from cases.models import Case, CaseEvent, EventKind
from tests.factories import make_facility, make_staff

from .helpers import detail_url, new_case


@pytest.fixture
def staff(api, tree):
    # A province officer: sees every case of the tree, so routing between unions is observable.
    user = make_staff(tree.p.union)
    api.force_authenticate(user)
    return user


def _events(case, kind):
    return list(
        CaseEvent.objects.filter(case=case, kind=kind)
        .order_by("id")
        .values_list("from_value", "to_value", "public")
    )


def test_attaching_a_location_to_a_received_case_routes_it(api, tree):
    # Taken on the city's hotline without a place: the city's until it is placed.
    dispatcher = get_user_model().objects.create_superuser("dispatch", password="pw")
    api.force_authenticate(dispatcher)
    case = new_case(None, channel="hotline", staff=make_staff(tree.c.union))
    assert case.assigned_union == tree.c.union

    response = api.patch(detail_url(case), {"lat": 1, "lon": 103}, format="json")

    assert response.status_code == 200
    assert response.json()["properties"]["area"]["adcode"] == tree.b.adcode
    assert response.json()["geometry"]["coordinates"] == [103.0, 1.0]
    case.refresh_from_db()
    assert (case.area, case.assigned_union, case.location_source) == (
        tree.b, tree.b.union, "staff_map"
    )
    assert _events(case, EventKind.LOCATION) == [("", "103.000000,1.000000", False)]
    assert _events(case, EventKind.ASSIGNMENT)[-1] == ("C市总工会", "B区总工会", True)


def test_correcting_the_location_of_a_received_case_reroutes_it(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326))

    api.patch(detail_url(case), {"lat": 1, "lon": 103, "crs": "wgs84"}, format="json")

    case.refresh_from_db()
    assert case.assigned_union == tree.b.union
    assert _events(case, EventKind.ASSIGNMENT)[-1] == ("A区总工会", "B区总工会", True)


def test_a_case_already_taken_on_keeps_its_union_when_the_pin_moves(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326))
    case.accept(make_staff(tree.a.union))

    api.patch(detail_url(case), {"lat": 1, "lon": 103}, format="json")

    case.refresh_from_db()
    assert case.area == tree.b and case.assigned_union == tree.a.union
    assert len(_events(case, EventKind.ASSIGNMENT)) == 1  # only the one from intake


def test_a_facility_gives_its_location(api, tree, staff):
    case = new_case(Point(103, 1, srid=4326))
    facility = make_facility(101.2, 1.2)

    api.patch(detail_url(case), {"facility": facility.pk}, format="json")

    case.refresh_from_db()
    assert case.facility == facility and case.location_source == "facility"
    assert case.location.equals_exact(facility.location, 1e-9)
    assert case.assigned_union == tree.a.union


def test_a_category_change_is_a_public_event(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326), category="other")

    api.patch(detail_url(case), {"category": "wage_arrears"}, format="json")

    case.refresh_from_db()
    assert case.category == "wage_arrears"
    assert _events(case, EventKind.CATEGORY) == [("other", "wage_arrears", True)]


def test_a_description_change_keeps_the_old_text_in_an_internal_event(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326), description="原文 original")

    api.patch(detail_url(case), {"description": "更正 corrected"}, format="json")

    case.refresh_from_db()
    assert case.description == "更正 corrected"
    event = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert (event.note, event.public, event.actor) == ("原文 original", False, staff)


def test_the_same_values_write_no_events(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326), category="safety")
    before = CaseEvent.objects.filter(case=case).count()

    response = api.patch(
        detail_url(case), {"category": "safety", "lat": 1, "lon": 101}, format="json"
    )

    assert response.status_code == 200
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lat": 200, "lon": 101}, "lat"),
        ({"lat": 1}, "lon"),
        ({"lat": 1, "lon": 101, "crs": "mercator"}, "crs"),
        ({"category": "noise"}, "category"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"facility": 0}, "facility"),
        ({"category": "safety", "lat": 1, "lon": 999}, "lon"),  # nothing, not half
    ],
)
def test_bad_input_is_400_naming_the_field_and_changes_nothing(api, tree, staff, data, field):
    case = new_case(Point(101, 1, srid=4326), category="other")
    before = CaseEvent.objects.filter(case=case).count()

    response = api.patch(detail_url(case), data, format="json")

    assert response.status_code == 400 and field in response.json()["errors"]
    after = Case.objects.get(pk=case.pk)
    assert (after.category, after.location.coords) == ("other", (101.0, 1.0))
    assert CaseEvent.objects.filter(case=case).count() == before


def test_put_is_not_offered(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326))

    assert api.put(detail_url(case), {"category": "safety"}, format="json").status_code == 405


def test_a_point_outside_every_area_is_refused_and_changes_nothing(api, tree, staff):
    case = new_case(Point(101, 1, srid=4326))

    response = api.patch(detail_url(case), {"lat": 1, "lon": -30}, format="json")

    assert response.status_code == 400 and "location" in response.json()["errors"]
    case.refresh_from_db()
    assert case.area == tree.a and case.location.x == 101
