"""POST requests as older clients send it: form-encoded, api_key in the body, jurisdiction_id=."""

from cases.models import Case, CaseEvent, Channel, Status
from open311.models import Open311Request

from .helpers import A_POINT, body, post_form, submit, url, xml_records


def test_a_form_post_creates_a_routed_open311_case(client, tree, keys):
    response = post_form(client, {
        "api_key": keys.none, "jurisdiction_id": "", "service_code": "station_shortage",
        "description": "路口没有驿站 no rest station at the crossing", **A_POINT,
        "first_name": "小明", "last_name": "王", "phone": "138 0000 0000",
        "email": "wang@example.org", "device_id": "phone-1", "account_id": "acct-9",
    })

    assert response.status_code == 201
    (receipt,) = body(response)
    case = Case.objects.get(reference=receipt["service_request_id"])
    assert receipt["token"] == case.tracking_token
    assert receipt["account_id"] == "acct-9"
    assert case.channel == Channel.OPEN311
    assert case.status == Status.RECEIVED
    assert (case.location.x, case.location.y) == (101, 1)
    assert case.assigned_union == tree.a.union and case.area == tree.a
    assert (case.reporter_name, case.reporter_phone) == ("王小明", "138 0000 0000")
    extra = Open311Request.objects.get(case=case)
    assert (extra.device_id, extra.account_id, extra.email) == ("phone-1", "acct-9", "wang@example.org")
    # Intake's record, as for every channel: created, then assigned by location.
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "note"))
    assert kinds == [("created", "open311"), ("assignment", "routed by location")]


def test_latin_names_keep_their_order(client, tree, keys):
    response = submit(client, keys.none, first_name="Li", last_name="Smith")
    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert case.reporter_name == "Li Smith"


def test_the_xml_answer_is_a_service_request(client, tree, keys):
    response = submit(client, keys.a, fmt="xml")

    assert response.status_code == 201
    root = body(response)
    assert root.tag == "service_requests"
    (receipt,) = xml_records(root)
    assert root[0].tag == "request"
    case = Case.objects.get(reference=receipt["service_request_id"])
    assert receipt["token"] == case.tracking_token


def test_api_key_in_the_query_and_a_json_body(client, tree, keys):
    response = client.post(
        url("requests", "json", {"api_key": keys.a}),
        {"service_code": "safety", "description": "路面塌陷 road caved in", "lat": 1, "long": 103},
        content_type="application/json",
    )

    assert response.status_code == 201
    case = Case.objects.get(reference=body(response)[0]["service_request_id"])
    assert (case.category, case.assigned_union) == ("safety", tree.b.union)


def test_a_case_from_open311_counts_in_the_staff_list(client, tree, keys, api):
    from django.urls import reverse

    from tests.factories import make_staff

    reference = body(submit(client, keys.none))[0]["service_request_id"]
    api.force_authenticate(make_staff(tree.a.union))

    listed = api.get(reverse("cases:case-list"), {"channel": "open311"}).json()
    assert [f["id"] for f in listed["features"]] == [reference]
