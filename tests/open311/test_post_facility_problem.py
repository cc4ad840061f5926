"""facility_problem: attribute[facility] names the place; the case is routed by it."""

from cases.models import Case
from tests.factories import make_facility

from .helpers import body, submit


def test_the_facility_attribute_links_and_locates_the_case(client, tree, keys):
    station = make_facility(103.5, 1.5)  # in district B
    response = submit(
        client, keys.none, service_code="facility_problem", lat=None, long=None,
        **{"attribute[facility]": str(station.pk)},
        description="显示营业但关门了 listed as open but closed",
    )

    assert response.status_code == 201
    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert case.facility == station
    assert (case.location.x, case.location.y) == (103.5, 1.5)
    assert case.location_source == "facility"
    assert case.assigned_union == tree.b.union


def test_the_facility_attribute_is_required_and_must_exist(client, tree, keys):
    missing = submit(client, keys.none, service_code="facility_problem")
    unknown = submit(client, keys.none, service_code="facility_problem",
                     **{"attribute[facility]": "999999"})
    garbage = submit(client, keys.none, service_code="facility_problem",
                     **{"attribute[facility]": "12; drop"})

    for response in (missing, unknown, garbage):
        assert response.status_code == 400
        assert body(response)[0]["description"].startswith("attribute[facility]")
    assert not Case.objects.exists()
