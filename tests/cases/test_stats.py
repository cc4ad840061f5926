"""Statistics per area on a small hand-made data set whose answers are worked out by hand."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case, make_staff

T0 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def _resolved(area, union, hours, **fields):
    return make_case(
        area=area, union=union, created_at=T0, status="resolved", resolution="答复 answer",
        resolved_at=T0 + timedelta(hours=hours), **fields,
    )


@pytest.fixture
def data(tree):
    """Received in March 2026:
    district A: resolved after 10 h (rated 5), after 30 h (reopened once, rated 2), after 20 h;
                one accepted and overdue, one received and not yet due;
    district B: resolved after 4 h (rated 4); one received and overdue;
    city C itself: one received, not yet due.
    Before the window (31 January): one resolved case in A. Outside city C: one case in E.
    """
    a, b, c = tree.a, tree.b, tree.c
    future = timezone.now() + timedelta(days=3)
    _resolved(a, a.union, 10, rating=5)
    _resolved(a, a.union, 30, rating=2, reopen_count=1)
    _resolved(a, a.union, 20)
    make_case(area=a, union=a.union, created_at=T0, status="accepted")  # due 9 March: overdue
    make_case(area=a, union=a.union, created_at=T0, due_at=future)
    _resolved(b, b.union, 4, rating=4)
    make_case(area=b, union=b.union, created_at=T0 + timedelta(days=1))
    make_case(area=c, union=c.union, created_at=T0, due_at=future)
    make_case(
        area=a, union=a.union, created_at=T0 - timedelta(days=30), status="resolved",
        resolution="x", resolved_at=T0 - timedelta(days=29),
    )
    make_case(area=tree.e, union=tree.p.union, created_at=T0)
    return tree


def _stats(api, **params):
    params.setdefault("since", "2026-03-01T00:00:00+08:00")
    params.setdefault("until", "2026-04-01T00:00:00+08:00")
    response = api.get(reverse("cases:case-stats"), params)
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def planner(api):
    user = make_staff(None, username="planner")  # staff account without a union
    api.force_authenticate(user)
    return user


def test_it_gives_each_district_of_a_city_its_figures(api, data, planner):
    body = _stats(api, area=data.c.adcode)

    rows = {row["area"]: row for row in body["results"]}
    assert set(rows) == {data.a.adcode, data.b.adcode, data.c.adcode}
    a, b, c = rows[data.a.adcode], rows[data.b.adcode], rows[data.c.adcode]
    assert a["name"] == "区A"
    assert (a["received"], a["resolved"], a["overdue"]) == (5, 3, 1)
    assert a["first_time_resolution_rate"] == pytest.approx(2 / 3)
    assert a["median_handling_hours"] == pytest.approx(20)
    assert a["mean_handling_hours"] == pytest.approx(20)
    assert a["mean_rating"] == pytest.approx(3.5)
    assert (b["received"], b["resolved"], b["overdue"]) == (2, 1, 1)
    assert b["first_time_resolution_rate"] == 1.0 and b["median_handling_hours"] == 4
    assert b["mean_rating"] == 4
    # Cases located in the city itself, in no district of it.
    assert (c["received"], c["resolved"], c["overdue"]) == (1, 0, 0)
    assert c["first_time_resolution_rate"] is None and c["median_handling_hours"] is None
    assert c["mean_rating"] is None


def test_it_totals_the_whole_area(api, data, planner):
    total = _stats(api, area=data.c.adcode)["total"]

    assert (total["received"], total["resolved"], total["overdue"]) == (8, 4, 2)
    assert total["first_time_resolution_rate"] == pytest.approx(3 / 4)
    assert total["median_handling_hours"] == pytest.approx(15)  # of 4, 10, 20, 30
    assert total["mean_handling_hours"] == pytest.approx(16)
    assert total["mean_rating"] == pytest.approx(11 / 3)


def test_a_province_rolls_its_districts_up_into_cities(api, data, planner):
    body = _stats(api, area=data.p.adcode)

    rows = {row["area"]: row["received"] for row in body["results"]}
    assert rows == {data.c.adcode: 8, data.k.adcode: 1}
    assert body["count"] == 2 and body["area"]["adcode"] == data.p.adcode


def test_the_window_decides_which_cases_count(api, data, planner):
    body = _stats(api, area=data.a.adcode, since="2026-01-01T00:00:00+08:00")

    assert body["total"]["received"] == 6 and body["total"]["resolved"] == 4
    assert _stats(api, area=data.a.adcode, until="2026-03-02T09:00:00+08:00")["total"][
        "received"
    ] == 0


def test_union_staff_get_their_own_jurisdiction(api, data):
    api.force_authenticate(make_staff(data.b.union))

    body = _stats(api)  # no area: the union's own

    assert body["area"]["adcode"] == data.b.adcode
    assert [(row["area"], row["received"]) for row in body["results"]] == [(data.b.adcode, 2)]
    # Asking for the city still shows only what this union may see.
    assert _stats(api, area=data.c.adcode)["total"]["received"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [({"area": "000001"}, "area"), ({"since": "soon"}, "since"),
     ({"since": "2026-05-01", "until": "2026-04-01"}, "until")],
)
def test_bad_parameters_are_400_naming_them(api, data, planner, params, field):
    response = api.get(reverse("cases:case-stats"), params)

    assert response.status_code == 400 and field in response.json()["errors"]


def test_it_is_for_staff_and_planners_only(api, data):
    assert api.get(reverse("cases:case-stats")).status_code in (401, 403)
    worker = get_user_model().objects.create_user("worker", password="pw")
    api.force_authenticate(worker)
    assert api.get(reverse("cases:case-stats")).status_code == 403


def test_it_costs_the_same_queries_whatever_the_number_of_cases(
    api, data, planner, django_assert_max_num_queries
):
    # the area asked for, the account's union, then the aggregates: number of rows, the page of
    # rows, the page's area names, the total. No query per case or per area.
    with django_assert_max_num_queries(6):
        _stats(api, area=data.c.adcode)
    for _ in range(3):
        make_case(area=data.k, union=data.p.union, created_at=T0)
    with django_assert_max_num_queries(6):
        _stats(api, area=data.p.adcode)
