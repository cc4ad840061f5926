"""The facility page's QR code, drawn in the admin for printing."""

import io

import pytest
import segno
from django.urls import reverse

from tests.factories import make_facility, make_staff

pytestmark = pytest.mark.django_db


def test_staff_get_a_printable_qr_code_of_the_facility_page(client):
    facility = make_facility(116.4, 39.9)
    client.force_login(make_staff(is_superuser=True))
    response = client.get(reverse("admin:stations_facility_qr", args=[facility.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    expected = io.BytesIO()
    page = f"http://testserver/s/{facility.pk}/"
    segno.make(page, error="q", boost_error=False).save(expected, kind="svg", scale=10, border=4)
    assert response.content == expected.getvalue()
    change = client.get(reverse("admin:stations_facility_change", args=[facility.pk]))
    assert reverse("admin:stations_facility_qr", args=[facility.pk]) in change.content.decode()


def test_the_public_gets_no_qr_code_from_the_admin(client):
    facility = make_facility(116.4, 39.9)
    response = client.get(reverse("admin:stations_facility_qr", args=[facility.pk]))
    assert response.status_code == 302  # to the login page
