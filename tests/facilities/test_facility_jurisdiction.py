"""Staff create, change and delete facilities only inside their union's area, through the API
and the admin alike; and the API honours the model permissions as the admin does."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from stations.models import AreaLevel, Facility
from tests.factories import make_area, make_facility, make_facility_staff, make_staff, square

pytestmark = pytest.mark.django_db
LIST = reverse("stations:facility-list")


def detail(facility) -> str:
    return reverse("stations:facility-detail", args=[facility.pk])


@pytest.fixture
def places():
    """City 朝阳 (116..117 E) with district 望京 (116..116.5), and 秀洲 far away."""
    city = make_area(square(116.0, 39.5, 1.0), level=AreaLevel.CITY, union="朝阳区总工会")
    district = make_area(square(116.0, 39.5, 0.5), parent=city, union="望京街道工会")
    xiuzhou = make_area(square(120.5, 30.5, 0.5), union="秀洲区总工会")
    return {
        "city": city, "district": district, "xiuzhou": xiuzhou,
        "ours": make_facility(116.2, 39.7, name="望京驿站"),
        "theirs": make_facility(120.7, 30.7, name="秀洲驿站"),
    }


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who,inside,outside", [
    ("city", 204, 403), ("district", 204, 403), ("xiuzhou", 403, 204),
])
def test_api_delete_only_inside_the_jurisdiction(places, who, inside, outside):
    api = api_for(make_facility_staff(places[who].union))

    assert api.delete(detail(places["ours"])).status_code == inside
    assert api.delete(detail(places["theirs"])).status_code == outside


def test_api_change_and_move_only_inside(places):
    api = api_for(make_facility_staff(places["city"].union))

    foreign = api.patch(detail(places["theirs"]), {"name": "改名"}, format="json")
    away = api.patch(detail(places["ours"]), {"lat": 30.7, "lon": 120.7}, format="json")
    within = api.patch(detail(places["ours"]), {"lat": 39.9, "lon": 116.9}, format="json")
    created_outside = api.post(
        LIST, {"kind": "canteen", "name": "外地食堂", "lat": 30.7, "lon": 120.7}, format="json"
    )

    assert foreign.status_code == 403
    assert away.status_code == 400 and "location" in away.json()["errors"]
    assert within.status_code == 200
    assert created_outside.status_code == 400 and "location" in created_outside.json()["errors"]
    assert Facility.objects.get(pk=places["theirs"].pk).name == "秀洲驿站"
    assert not Facility.objects.filter(name="外地食堂").exists()


def test_api_honours_the_model_permissions(places):
    # Staff of the right union, but like the demo accounts without delete_facility.
    api = api_for(make_facility_staff(
        places["city"].union, codenames=("add_facility", "change_facility")
    ))
    none = api_for(make_staff(places["city"].union))

    assert api.delete(detail(places["ours"])).status_code == 403
    assert none.patch(detail(places["ours"]), {"name": "x"}, format="json").status_code == 403
    assert none.post(LIST, {"kind": "canteen", "name": "x", "lat": 39.9, "lon": 116.4},
                     format="json").status_code == 403
    assert Facility.objects.filter(pk=places["ours"].pk, name="望京驿站").exists()


def test_a_planner_without_a_union_changes_nothing(places):
    planner = make_staff()
    planner.user_permissions.set(make_facility_staff(places["city"].union).user_permissions.all())

    assert api_for(planner).delete(detail(places["ours"])).status_code == 403


def admin_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who,change_ours,change_theirs", [
    ("city", 200, 403), ("xiuzhou", 403, 200),
])
def test_admin_change_and_delete_only_inside(places, who, change_ours, change_theirs):
    admin = admin_for(make_facility_staff(places[who].union))
    for facility, expected in ((places["ours"], change_ours), (places["theirs"], change_theirs)):
        delete = reverse("admin:stations_facility_delete", args=[facility.pk])
        change = reverse("admin:stations_facility_change", args=[facility.pk])
        assert admin.get(delete).status_code == expected
        # Without change permission the admin shows the page read-only (200, no save button).
        page = admin.get(change)
        assert (b'name="_save"' in page.content) == (expected == 200)


def test_admin_refuses_moving_a_facility_out_and_bulk_deleting_others(places):
    admin = admin_for(make_facility_staff(places["city"].union))
    url = reverse("admin:stations_facility_change", args=[places["ours"].pk])

    moved = admin.post(url, {
        "kind": "rest_station", "name": "望京驿站", "location": "SRID=4326;POINT(120.7 30.7)",
        "status": "open", "opening_hours": "24/7",
    })
    bulk = admin.post(reverse("admin:stations_facility_changelist"), {
        "action": "delete_selected", "_selected_action": [places["theirs"].pk], "post": "yes",
    })

    assert moved.status_code == 200 and "location" in moved.context["adminform"].form.errors
    assert bulk.status_code in (200, 403)
    assert Facility.objects.filter(pk=places["theirs"].pk).exists()
    assert Facility.objects.get(pk=places["ours"].pk).location.x == pytest.approx(116.2)


def test_a_superuser_changes_anywhere(places):
    root = get_user_model().objects.create_superuser("root", password="pw")
    assert api_for(root).delete(detail(places["theirs"])).status_code == 204
