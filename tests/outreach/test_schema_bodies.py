"""The review and the dashboard answer what /api/schema/ says they do (the schema fuzz run
meets neither with data: its database is empty), checked with schemathesis's validator over
real bodies: suppressed "<5", withheld nulls, a staff member's weeks, key firms not visited."""

import pytest
import requests
import schemathesis
from django.test import Client

from tests.factories import make_staff
from tests.outreach.test_dashboard import _resolved
from tests.outreach.test_reviews import ledger  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schema(live_server):
    return schemathesis.openapi.from_url(live_server.url + "/api/schema/?format=json")


def test_a_dashboard_with_suppressed_and_withheld_counts_matches_the_schema(
    schema, live_server, tree
):
    _resolved(tree.a, tree.a.union, 6, 3, rating=4)
    _resolved(tree.b, tree.b.union, 2, 10)
    response = requests.get(f"{live_server.url}/api/dashboard/{tree.c.adcode}/", timeout=10)

    subs = {s["adcode"]: s for s in response.json()["sub_areas"]}
    assert (subs[tree.b.adcode]["received"], subs[tree.a.adcode]["received"]) == ("<5", None)
    schema["/api/dashboard/{adcode}/"]["GET"].validate_response(response)


def test_a_review_and_its_csv_match_the_schema(schema, live_server, ledger):  # noqa: F811
    client = Client()
    client.force_login(make_staff(ledger.a.union))
    cookies = {"sessionid": client.cookies["sessionid"].value}
    operation = schema["/api/reviews/"]["GET"]
    url = f"{live_server.url}/api/reviews/"
    window = {"since": "2026-03-01", "until": "2026-04-01"}

    body = requests.get(url, params=window, cookies=cookies, timeout=10)
    assert body.json()["staff"][0]["weeks"] and body.json()["key_not_visited"]
    operation.validate_response(body)
    spreadsheet = requests.get(url, params={**window, "format": "csv"}, cookies=cookies,
                               timeout=10)
    assert spreadsheet.headers["Content-Type"].startswith("text/csv")
    operation.validate_response(spreadsheet)
