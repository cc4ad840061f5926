"""A report with only an address goes to the union of the district the reporter picked."""

from cases.models import Case

from .helpers import post_case


def test_it_routes_by_the_chosen_area(api, tree):
    response = post_case(api, area=tree.a.adcode, address="人民路 12 号")
    assert response.status_code == 201
    assert response.json()["assigned_union"]["name"] == "A区总工会"
    case = Case.objects.get()
    assert case.area == tree.a and case.location is None and case.address == "人民路 12 号"


def test_a_point_wins_over_the_chosen_area(api, tree):
    body = post_case(api, area=tree.a.adcode, lat=1, lon=103).json()
    assert body["assigned_union"]["name"] == "B区总工会"


def test_an_unknown_area_is_a_400_naming_it(api, tree):
    response = post_case(api, area="999999999")
    assert response.status_code == 400 and "area" in response.json()["errors"]
    assert not Case.objects.exists()
