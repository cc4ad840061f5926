import uuid

from tests.cases.helpers import inside, post_case
from tests.notify.helpers import SECRET, district, pump, subscribe


def test_it_posts_a_signed_case_created_for_an_intake(db, api, receiver):
    d = district()
    subscribe(receiver.url, "case.created")
    point = inside(d.area)
    response = post_case(api, lat=point.y, lon=point.x, category="safety")
    assert response.status_code == 201

    pump()

    [hit] = receiver.received
    assert hit.signed_with(SECRET)
    assert not hit.signed_with("another-secret-0123456789")
    body = hit.json
    assert body["type"] == "case.created"
    assert uuid.UUID(body["id"])
    assert hit.headers["X-Waystation-Event-Id"] == body["id"]
    assert body["case"]["reference"] == response.json()["reference"]
    assert body["case"]["union"]["name"] == d.union.name
    assert body["case"]["category"] == "safety"


def test_it_delivers_each_event_once_over_repeated_rounds(db, api, receiver):
    d = district()
    subscribe(receiver.url, "case.created")
    point = inside(d.area)
    post_case(api, lat=point.y, lon=point.x)
    pump()
    pump()
    assert len(receiver.received) == 1


def test_a_union_subscription_hears_only_of_its_own_cases(db, api, receiver):
    mine, other = district("区A", 100), district("区B", 110)
    subscribe(receiver.url, "case.created", union=mine.union)
    for d in (mine, other):
        point = inside(d.area)
        post_case(api, lat=point.y, lon=point.x)
    pump()
    assert [hit.json["case"]["union"]["name"] for hit in receiver.received] == [mine.union.name]
