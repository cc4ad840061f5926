"""A public read skips the per-request connection health check; a connection that broke since
the last request costs a retry, not an error (project.middleware.DatabaseUnavailableMiddleware)."""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_facility

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("stations:facility-nearest")


def test_a_search_on_a_connection_that_broke_since_the_last_request_is_answered(client):
    facility = make_facility(116.40, 39.90)
    assert client.get(URL, {"lat": "39.9", "lon": "116.4"}).status_code == 200
    backend = connection.connection.get_backend_pid()
    # Another session ends this worker's persistent connection, as a database restart would.
    db = connection.settings_dict
    with psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"],
                          port=db["PORT"]) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    other.close()
    response = client.get(URL, {"lat": "39.9", "lon": "116.4"})
    assert response.status_code == 200
    assert [f["id"] for f in response.json()["features"]] == [facility.pk]
    assert connection.connection.get_backend_pid() != backend
