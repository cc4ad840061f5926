"""/s/{id}/: one facility's page rendered on the server, in Chinese and English."""

import pytest
from django.urls import reverse

from stations.coords import wgs84_to_gcj02
from stations.models import FacilityKind
from tests.factories import make_facility

pytestmark = pytest.mark.django_db


def test_it_renders_details_navigation_call_and_check_in(client):
    facility = make_facility(116.40, 39.90, name="朝阳驿站", kind=FacilityKind.CANTEEN,
                             meal_price_min=12, meal_price_max=18,
                             opening_hours="Mo-Su 10:30-13:30,16:30-20:00")
    page = client.get(reverse("stations:facility-page", args=[facility.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert "朝阳驿站" in html and "每天 10:30–13:30、16:30–20:00" in html
    assert "餐价：12–18 元" in html
    g_lon, g_lat = wgs84_to_gcj02(116.40, 39.90)
    assert f"position={g_lon:.6f}%2C{g_lat:.6f}" in html
    assert 'href="tel:12351"' in html
    assert 'id="checkin"' in html
    assert f"?facility={facility.pk}&amp;category=facility_problem" in html


def test_it_reads_in_english_when_asked(client):
    facility = make_facility(116.40, 39.90, opening_hours="24/7")
    html = client.get(reverse("stations:facility-page", args=[facility.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open 24 hours" in html and "I am here" in html
    assert "我在这里" not in html


def test_an_unknown_facility_is_404(client):
    assert client.get(reverse("stations:facility-page", args=[424242])).status_code == 404


def test_it_shows_the_next_reception_days_at_the_place(client):
    from datetime import time

    from outreach.models import HostRole, ReceptionSession, Repeat

    facility = make_facility(116.40, 39.90)
    ReceptionSession.objects.create(
        facility=facility, repeat=Repeat.WEEKLY, weekday=2, starts=time(9), ends=time(10),
        host_name="王店镇镇长", host_role=HostRole.TOWN_HEAD,
    )
    html = client.get(reverse("stations:facility-page", args=[facility.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert html.count("王店镇镇长") == 3  # the next three sittings
