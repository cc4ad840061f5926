"""A service request's fields: the status mapping, notes, agency, deadline, in both formats."""

import pytest
from django.contrib.gis.geos import Point

from cases.models import Status
from tests.cases.helpers import new_case
from tests.factories import make_staff

from .helpers import body, url, xml_records


@pytest.mark.parametrize(
    "status, expected",
    [
        (Status.RECEIVED, "open"), (Status.ACCEPTED, "open"), (Status.IN_PROGRESS, "open"),
        (Status.ESCALATED, "open"), (Status.TRANSFERRED, "open"), (Status.REOPENED, "open"),
        (Status.RESOLVED, "closed"), (Status.CLOSED, "closed"), (Status.REJECTED, "closed"),
    ],
)
def test_the_status_mapping(client, tree, status, expected):
    case = new_case(Point(101, 1, srid=4326), category="station_shortage")
    type(case).objects.filter(pk=case.pk).update(status=status)

    (found,) = body(client.get(url("request", "json", service_request_id=case.reference)))
    assert found["status"] == expected


def test_a_resolved_request_in_json_and_xml(client, tree):
    case = new_case(Point(101, 1, srid=4326), category="station_shortage", address="人民路")
    staff = make_staff(tree.a.union)
    case.accept(staff)
    case.resolve(staff, note="新驿站下月开放 a new station opens next month")
    case.refresh_from_db()

    (found,) = body(
        client.get(url("request", "json", service_request_id=case.reference),
                   HTTP_ACCEPT_LANGUAGE="en")
    )
    assert found["status"] == "closed"
    assert found["status_notes"] == "新驿站下月开放 a new station opens next month"
    assert found["agency_responsible"] == tree.a.union.name
    assert found["service_name"] == "Not enough rest stations"
    assert found["expected_datetime"].endswith("+08:00")
    assert found["address"] == "人民路"

    root = body(client.get(url("request", "xml", service_request_id=case.reference)))
    assert (root.tag, root[0].tag) == ("service_requests", "request")
    (record,) = xml_records(root)
    assert record["status"] == "closed"
    assert record["service_request_id"] == case.reference
    assert float(record["lat"]) == 1 and float(record["long"]) == 101


def test_a_rejection_reason_is_the_status_note(client, tree):
    case = new_case(Point(101, 1, srid=4326), category="station_shortage")
    case.reject(make_staff(tree.a.union), note="重复诉求 duplicate")

    (found,) = body(client.get(url("request", "json", service_request_id=case.reference)))
    assert found["status_notes"] == "重复诉求 duplicate"


def test_a_request_without_location_has_empty_coordinates_in_xml(client, tree, keys):
    from .helpers import submit

    reference = body(submit(
        client, keys.none, lat=None, long=None, jurisdiction_id=tree.a.adcode,
        address_string="人民路",
    ))[0]["service_request_id"]

    root = body(client.get(url("request", "xml", service_request_id=reference)))
    assert root.find("request/lat").text is None
    assert root.find("request/long").text is None
