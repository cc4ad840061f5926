"""Every bad intake is a 400 naming the field, and writes nothing."""

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseEvent

from .helpers import post_case

GOOD = {"category": "other", "description": "充电桩坏了 the charger is broken"}


def _serial() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM cases_case_reference_seq")
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "potholes"}, "category"),
        ({"category": None}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"channel": "open311"}, "channel"),  # only through the Open311 endpoint
        ({"description": ""}, "description"),
        ({"description": "   \n "}, "description"),
        ({"description": "长" * 4001}, "description"),
        ({"lat": 91, "lon": 120}, "lat"),
        ({"lat": 30, "lon": -181}, "lon"),
        ({"lat": "north", "lon": 120}, "lat"),
        ({"lat": "NaN", "lon": 120}, "lat"),
        ({"lat": 30}, "lon"),
        ({"lon": 120}, "lat"),
        ({"lat": 30, "lon": 120, "crs": "utm50"}, "crs"),
        ({"facility": 987654321}, "facility"),
        ({"facility": "the big one"}, "facility"),
        ({"reporter_phone": "call me maybe"}, "reporter_phone"),
        ({"reporter_name": "名" * 101}, "reporter_name"),
        ({"address": "址" * 256}, "address"),
        ({"client_token": ""}, "client_token"),
        ({"client_token": "t" * 101}, "client_token"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_writes_nothing(api, db, changes, field):
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not None}

    response = api.post(reverse("cases:case-list"), data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_it_names_every_bad_field_at_once(api, db):
    response = post_case(api, category="x", description="", lat=100, lon=0, channel="fax")

    assert set(response.json()["errors"]) >= {"category", "description", "lat", "channel"}


def test_it_does_not_spend_a_reference_number_on_a_rejected_case(api, db):
    before = _serial()
    post_case(api, category="x")
    assert _serial() == before


def test_it_accepts_a_description_of_exactly_4000_characters(api, owner_area):
    response = post_case(
        api, category="other", description="长" * 4000, area=owner_area.adcode
    )

    assert response.status_code == 201
    assert len(Case.objects.get().description) == 4000


def test_it_rejects_a_body_that_is_not_an_object(api, db):
    response = api.post(reverse("cases:case-list"), [GOOD], format="json")

    assert response.status_code == 400
    assert Case.objects.count() == 0
