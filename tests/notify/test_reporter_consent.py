from tests.cases.helpers import inside, post_case
from tests.notify.helpers import district, pump, subscribe


def test_the_reporters_contact_goes_out_only_with_their_consent(db, api, receiver):
    d = district()
    subscribe(receiver.url, "case.created")
    point = inside(d.area)
    for consent in (True, False):
        response = post_case(
            api, lat=point.y, lon=point.x, reporter_name="王师傅", reporter_phone="13800000000",
            notify_me=consent,
        )
        assert response.status_code == 201
    pump()
    with_consent, without = (hit.json for hit in receiver.received)
    assert with_consent["reporter"] == {"name": "王师傅", "phone": "13800000000"}
    assert "reporter" not in without


def test_consent_must_be_a_boolean(db, api):
    response = post_case(api, notify_me="perhaps")
    assert response.status_code == 400
    assert "notify_me" in response.json()["errors"]
