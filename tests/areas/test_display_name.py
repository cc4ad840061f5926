"""Area names are data: English pages show `name_en` where an area has one, else `name`."""

import pytest
from django.utils import translation

from stations.models import Area
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db


def test_it_shows_the_name_for_the_pages_language():
    named = make_area(square(120.6, 30.7, 0.2), name="秀洲区")
    Area.objects.filter(pk=named.pk).update(name_en="Xiuzhou District")
    named.refresh_from_db()
    unnamed = make_area(square(100.0, 30.0, 0.2), name="某县")
    assert (named.display_name, unnamed.display_name) == ("秀洲区", "某县")
    with translation.override("en"):
        assert (named.display_name, unnamed.display_name) == ("Xiuzhou District", "某县")


def test_the_admin_area_filter_uses_it(admin_client):
    area = make_area(square(120.6, 30.7, 0.2), name="秀洲区", level="city")
    Area.objects.filter(pk=area.pk).update(name_en="Jiaxing")
    english = admin_client.get("/admin/cases/case/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = admin_client.get("/admin/cases/case/").content.decode()
    assert "Jiaxing" in english and "Jiaxing" not in chinese
