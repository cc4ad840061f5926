import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lon": 120.6}, "lat"),
        ({"lat": 30.7}, "lon"),
        ({"lat": "north", "lon": 120.6}, "lat"),
        ({"lat": "NaN", "lon": 120.6}, "lat"),
        ({"lat": 30.7, "lon": "inf"}, "lon"),
        ({"lat": 91, "lon": 120.6}, "lat"),
        ({"lat": 30.7, "lon": -181}, "lon"),
        ({"lat": 30.7, "lon": 120.6, "crs": "epsg:3857"}, "crs"),
    ],
)
def test_it_rejects_a_bad_point_naming_the_field(api, params, field):
    response = api.get(reverse("stations:area-lookup"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_an_unknown_adcode_is_404(api):
    response = api.get(reverse("stations:area-detail", args=["999999"]))
    assert response.status_code == 404
    assert "errors" in response.json()
