"""The staff list: filters by status, category, channel, area (with sub-areas), overdue, since;
paginated as a GeoJSON FeatureCollection."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case


@pytest.fixture
def listed(api, tree):
    api.force_authenticate(get_user_model().objects.create_superuser("root", password="pw"))
    now = timezone.now()
    made = {
        "a_new": make_case(area=tree.a, union=tree.a.union, category="safety"),
        "a_late": make_case(
            area=tree.a, union=tree.a.union, status="accepted",
            created_at=now - timedelta(days=10),
        ),
        "a_done_late": make_case(
            area=tree.a, union=tree.a.union, status="closed", created_at=now - timedelta(days=10),
        ),
        "b_hotline": make_case(area=tree.b, union=tree.b.union, channel="hotline"),
        "e_old": make_case(area=tree.e, union=tree.p.union, created_at=now - timedelta(days=40)),
    }

    def fetch(**params):
        response = api.get(reverse("cases:case-list"), params)
        assert response.status_code == 200, response.json()
        return {feature["id"] for feature in response.json()["features"]}

    return made, fetch


def _refs(made, *names):
    return {made[name].reference for name in names}


def test_it_filters_by_status_category_and_channel(listed):
    made, fetch = listed

    assert fetch(status="accepted") == _refs(made, "a_late")
    assert fetch(category="safety") == _refs(made, "a_new")
    assert fetch(channel="hotline") == _refs(made, "b_hotline")


def test_an_area_includes_its_sub_areas(listed, tree):
    made, fetch = listed

    assert fetch(area=tree.a.adcode) == _refs(made, "a_new", "a_late", "a_done_late")
    assert fetch(area=tree.c.adcode) == _refs(made, "a_new", "a_late", "a_done_late", "b_hotline")
    assert fetch(area=tree.k.adcode) == _refs(made, "e_old")


def test_overdue_means_open_and_past_due(listed):
    made, fetch = listed

    assert fetch(overdue="true") == _refs(made, "a_late", "e_old")
    assert fetch(overdue="false") == _refs(made, "a_new", "a_done_late", "b_hotline")


def test_since_keeps_the_newer_cases(listed):
    made, fetch = listed

    since = (timezone.now() - timedelta(days=20)).isoformat()
    assert fetch(since=since) == _refs(made, "a_new", "a_late", "a_done_late", "b_hotline")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"category": "noise"}, "category"),
        ({"area": "999999999"}, "area"),
        ({"since": "last tuesday"}, "since"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(api, listed, params, field):
    response = api.get(reverse("cases:case-list"), params)

    assert response.status_code == 400 and field in response.json()["errors"]


def test_it_pages_newest_first(api, listed):
    made, _ = listed

    first = api.get(reverse("cases:case-list"), {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert first["type"] == "FeatureCollection" and first["count"] == len(made)
    assert [f["id"] for f in first["features"]] == [made["b_hotline"].reference,
                                                    made["a_new"].reference]
    assert second["previous"] is not None and len(second["features"]) == 2
    created = [f["properties"]["created_at"] for f in first["features"] + second["features"]]
    assert created == sorted(created, reverse=True)


def test_the_list_costs_a_fixed_number_of_queries(api, listed, django_assert_max_num_queries):
    made, _ = listed
    for _ in range(5):
        make_case(area=made["a_new"].area, union=made["a_new"].assigned_union)
    # count, page (cases joined with area and union)
    with django_assert_max_num_queries(2):
        api.get(reverse("cases:case-list"))
