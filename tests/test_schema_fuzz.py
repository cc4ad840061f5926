"""The OpenAPI schema tells the truth: a bounded property-based run of schemathesis over every
operation of /api/schema/, against the live server, anonymous and as staff.

Each operation gets a few generated requests (`max_examples`); the checks are schemathesis's
own, all of them but one: `positive_data_acceptance` expects every schema-valid request to be
accepted, and some rules cannot be written in OpenAPI 3.0 (lat and lon together, an adcode that
exists, text that is not blank once trimmed), so the API rightly refuses some of them with 400.
"""

import pytest
import requests
import schemathesis
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.django_db(transaction=True)]

CSRF = "c" * 32  # a CSRF secret set as both cookie and header: Django accepts the pair
EXCLUDED = [positive_data_acceptance]
MAX_EXAMPLES = 6


@pytest.fixture
def api_schema(live_server, settings):  # noqa: F811 (pytest-django's settings fixture)
    # The limits are not what this run is about; counting still happens on every request.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {scope: "1000000/hour" for scope in
                                   settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]},
    }
    schema = schemathesis.openapi.from_url(live_server.url + "/api/schema/?format=json")
    schema.config.update(base_url=live_server.url)
    return schema


def staff_session(live_server) -> tuple[requests.Session, dict[str, str]]:
    """The CSRF pair in a session, and the staff member's session cookie apart: it is handed to
    schemathesis as the request's credential (`cookies=`), so its auth check (ST401) knows the
    cookie is a real one and probes each operation without it and with a wrong one. Left in the
    session's jar, it looks generated to schemathesis, and any 200 would count as
    "accepts invalid authentication"."""
    user = get_user_model().objects.create_superuser("fuzz-admin", password="unused-pw-123")
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("csrftoken", CSRF)
    session.headers.update({"X-CSRFToken": CSRF, "Referer": live_server.url + "/"})
    return session, {"sessionid": client.cookies["sessionid"].value}


def failures_over_every_operation(
    schema, session: requests.Session, credentials: dict[str, str] | None = None
) -> dict[str, str]:
    """Each operation's first failure, by "METHOD /path". (schemathesis's own pytest
    parametrization does not run on pytest 9, so the operations are walked here.)"""
    sent = {"cookies": credentials} if credentials else {}
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(session=session, excluded_checks=EXCLUDED, **sent)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis: a FailureGroup
            failures[operation.label] = str(exc)[:3000]
    return failures


def test_anonymous_requests_get_what_the_schema_says(api_schema):
    # One session, closed at the end: an open keep-alive connection would hold a live-server
    # thread, and with it a database connection, past the test.
    with requests.Session() as session:
        assert failures_over_every_operation(api_schema, session) == {}


def test_staff_requests_get_what_the_schema_says(api_schema, live_server):
    session, credentials = staff_session(live_server)
    with session:
        assert failures_over_every_operation(api_schema, session, credentials) == {}
