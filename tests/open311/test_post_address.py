"""POST without lat/long: an address_string with jurisdiction_id naming the area."""

from cases.models import Case, CaseEvent

from .helpers import body, submit


def test_an_address_in_a_named_area_goes_to_that_areas_union(client, tree, keys):
    response = submit(
        client, keys.none, lat=None, long=None, jurisdiction_id=tree.b.adcode,
        address_string="人民路1号 1 People's Road",
    )

    assert response.status_code == 201
    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert case.location is None
    assert case.address == "人民路1号 1 People's Road"
    assert (case.area, case.assigned_union) == (tree.b, tree.b.union)
    assert case.reference.startswith(f"{tree.b.adcode}-")
    assert CaseEvent.objects.filter(case=case, kind="assignment", note="routed by area").exists()


def test_an_area_without_a_union_goes_to_the_nearest_one_above(client, tree, keys):
    response = submit(
        client, keys.none, lat=None, long=None, jurisdiction_id=tree.e.adcode,
        address_string="工业路8号",
    )

    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert (case.area, case.assigned_union) == (tree.e, tree.p.union)


def test_with_a_point_the_point_routes_whatever_the_jurisdiction(client, tree, keys):
    response = submit(client, keys.none, jurisdiction_id=tree.b.adcode)  # the point is in A

    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert case.assigned_union == tree.a.union
