import pytest
from django.urls import reverse

# A point well inside each seed district (WGS84), and the chain the lookup must return.
SEED_POINTS = {
    "330411": ((120.6446, 30.7778), ["330411", "330400", "330000"]),
    "330602": ((120.6265, 30.0688), ["330602", "330600", "330000"]),
    "330723": ((119.7266, 28.7910), ["330723", "330700", "330000"]),
    "431302": ((112.0090, 27.7575), ["431302", "431300", "430000"]),
    "110105": ((116.5301, 39.9486), ["110105", "110000"]),
}


@pytest.mark.parametrize("adcode", SEED_POINTS)
def test_it_returns_district_city_province_smallest_first(api, real_areas, adcode):
    (lon, lat), chain = SEED_POINTS[adcode]
    response = api.get(reverse("stations:area-lookup"), {"lat": lat, "lon": lon})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [area["adcode"] for area in results] == chain
    assert [area["level"] for area in results][0] == "district"
    assert results[0]["parent"] == chain[1]


def test_it_converts_gcj02_before_looking_up(api, real_areas):
    # 300 m inside Xiuzhou's border; read as WGS84, the GCJ-02 coordinates fall in Jiashan.
    gcj = {"lon": 120.773626, "lat": 30.942267}
    as_gcj = api.get(reverse("stations:area-lookup"), {**gcj, "crs": "gcj02"}).json()["results"]
    as_wgs = api.get(reverse("stations:area-lookup"), gcj).json()["results"]
    assert as_gcj[0]["adcode"] == "330411"
    assert as_wgs[0]["adcode"] == "330421"


def test_it_returns_an_empty_list_outside_every_area(api, real_areas):
    response = api.get(reverse("stations:area-lookup"), {"lat": 0, "lon": 0})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_each_area_carries_the_union_responsible_for_it(api, real_areas):
    from stations.models import Union

    Union.objects.create(area=real_areas["330400"], name="嘉兴市总工会", phone="0573-12351")
    Union.objects.create(area=real_areas["330411"], name="秀洲区总工会")
    Union.objects.create(area=real_areas["431300"], name="娄底市总工会")
    xiuzhou = api.get(reverse("stations:area-lookup"), {"lat": 30.7778, "lon": 120.6446}).json()
    unions = [(a["adcode"], a["union"] and a["union"]["name"]) for a in xiuzhou["results"]]
    assert unions == [("330411", "秀洲区总工会"), ("330400", "嘉兴市总工会"), ("330000", None)]

    louxing = api.get(reverse("stations:area-lookup"), {"lat": 27.7575, "lon": 112.0090}).json()
    district = louxing["results"][0]
    # No district union: the city's answers for it.
    assert district["union"]["name"] == "娄底市总工会"
    assert district["union"]["own"] is False
