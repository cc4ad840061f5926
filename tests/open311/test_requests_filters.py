"""GET requests' parameters: ids, service_code, status, dates (90 days by default and at most),
page/page_size, jurisdiction_id; bad values are 400s naming the parameter."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from cases.models import Case, Status
from tests.cases.helpers import new_case

from .helpers import body, url


def _case(lon=101, category="station_shortage", days_ago=0, status=None):
    case = new_case(Point(lon, 1, srid=4326), category=category)
    changes = {"created_at": timezone.now() - timedelta(days=days_ago)}
    if status:
        changes["status"] = status
    Case.objects.filter(pk=case.pk).update(**changes)
    return case.reference


def _get(client, fmt="json", **query):
    return client.get(url("requests", fmt, query))


def _ids(client, **query):
    response = _get(client, **query)
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in body(response)]


def test_ids_select_requests_and_ignore_the_other_filters(client, tree):
    old, new, other = _case(days_ago=200), _case(), _case()

    assert set(_ids(client, service_request_id=f"{old},{new}", status="closed")) == {old, new}
    assert other not in _ids(client, service_request_id=new)


def test_service_code_and_status(client, tree):
    station = _case(category="station_shortage")
    charger = _case(category="charging_shortage", status=Status.RESOLVED)

    assert _ids(client, service_code="station_shortage") == [station]
    assert set(_ids(client, service_code="station_shortage,charging_shortage")) == {
        station, charger,
    }
    assert _ids(client, status="closed") == [charger]
    assert _ids(client, status="open") == [station]
    assert _get(client, service_code="parking").status_code == 404


def test_the_last_90_days_by_default_and_a_window_when_asked(client, tree):
    recent, older = _case(days_ago=10), _case(days_ago=120)

    assert _ids(client) == [recent]
    start = (timezone.now() - timedelta(days=150)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert _ids(client, start_date=start, end_date=end) == [older]
    assert _ids(client, start_date=start) == [older]


def test_newest_first_in_pages(client, tree):
    references = [_case(days_ago=days) for days in (3, 2, 1)][::-1]

    assert _ids(client, page_size=2) == references[:2]
    assert _ids(client, page_size=2, page=2) == references[2:]
    assert _ids(client, page_size=2, page=3) == []


def test_jurisdiction_id_narrows_to_an_area_and_empty_is_none(client, tree):
    in_a, in_b = _case(lon=101), _case(lon=103)

    assert _ids(client, jurisdiction_id=tree.b.adcode) == [in_b]
    assert set(_ids(client, jurisdiction_id="")) == {in_a, in_b}
    assert _get(client, jurisdiction_id="999999").status_code == 404


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
         "end_date"),
        ({"start_date": "2026-06-01T00:00:00+08:00", "end_date": "2026-05-01T00:00:00+08:00"},
         "end_date"),
        ({"page": "0"}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, db, query, parameter):
    response = _get(client, **query)
    assert response.status_code == 400
    assert [e["description"].split(":")[0] for e in body(response)] == [parameter]

    xml = _get(client, "xml", **query)
    assert xml.status_code == 400
    assert body(xml).findtext("error/description").startswith(parameter)
