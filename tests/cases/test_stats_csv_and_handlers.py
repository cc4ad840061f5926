"""Statistics as CSV (same jurisdiction) and per named handler (`by=assignee`)."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import make_case, make_staff

STATS = reverse("cases:case-stats")


@pytest.fixture
def c_staff(api, tree):
    user = make_staff(tree.c.union, username="city-officer")
    api.force_authenticate(user)
    return user


def test_the_stats_csv_has_a_row_per_sub_area_of_the_jurisdiction(api, tree, c_staff):
    make_case(area=tree.a, union=tree.a.union)
    make_case(area=tree.b, union=tree.b.union)
    make_case(area=tree.b, union=tree.b.union)
    make_case(area=tree.e)  # province P's other city: outside the city's jurisdiction

    response = api.get(STATS, {"format": "csv"})

    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    header, *lines = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    received = {line[0]: int(line[2]) for line in lines}
    assert received == {tree.a.adcode: 1, tree.b.adcode: 2}


def test_it_counts_per_handler(api, tree, c_staff):
    wang = make_staff(tree.c.union, username="wang")
    make_case(area=tree.c, union=tree.c.union, assignee=wang)
    make_case(area=tree.c, union=tree.c.union, assignee=wang)
    make_case(area=tree.c, union=tree.c.union)

    body = api.get(STATS, {"by": "assignee"}).json()

    assert [(r["assignee"], r["received"]) for r in body["results"]] == [("wang", 2), (None, 1)]
