"""An `Authorization` header is judged even beside a signed-in session: one in a scheme nothing
here understands is refused, not ignored; Basic is left to its own authenticator (or a proxy's
log-in in front of the site), so the session still decides."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from tests.cases.helpers import new_case
from tests.factories import make_staff


@pytest.fixture
def signed_in(client, tree):
    new_case(Point(101, 1, srid=4326), category="wage_arrears")
    client.force_login(make_staff(tree.a.union, username="a.officer"))
    return client


def test_an_unknown_scheme_is_refused_beside_a_session(signed_in):
    assert signed_in.get(reverse("cases:case-list")).status_code == 200

    response = signed_in.get(reverse("cases:case-list"), HTTP_AUTHORIZATION="Bearer abc",
                             HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {
        "errors": {"detail": ["unsupported authorization scheme; use: Token KEY"]}
    }


def test_a_proxys_basic_header_leaves_the_session_to_decide(signed_in):
    response = signed_in.get(reverse("cases:case-list"), HTTP_AUTHORIZATION="Basic cHJveHk6cHc=")

    assert response.status_code == 200
    assert len(response.json()["features"]) == 1
