from django.urls import reverse


def test_it_returns_a_feature_with_boundary_and_parent(api, real_areas):
    response = api.get(reverse("stations:area-detail", args=["110105"]))
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["name"] == "朝阳区"
    assert feature["properties"]["parent"]["adcode"] == "110000"
