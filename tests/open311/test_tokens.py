"""tokens/{token}: the request a submission's token became."""

from .helpers import body, submit, url, xml_records


def test_the_token_gives_the_request_id_in_both_formats(client, tree, keys):
    (receipt,) = body(submit(client, keys.none))
    token, reference = receipt["token"], receipt["service_request_id"]

    assert body(client.get(url("token", "json", token=token))) == [
        {"service_request_id": reference, "token": token}
    ]
    root = body(client.get(url("token", "xml", token=token)))
    assert root.tag == "service_requests"
    assert xml_records(root) == [{"service_request_id": reference, "token": token}]


def test_an_unknown_token_is_404(client, db):
    response = client.get(url("token", "xml", token="nope"))

    assert response.status_code == 404
    assert body(response).findtext("error/code") == "404"
