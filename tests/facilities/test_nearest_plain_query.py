"""The nearest search's plain parameter reader agrees with NearestQuerySerializer: where it
accepts the parameters it gives the serializer's values, and it leaves to the serializer
(returns None) everything the serializer refuses."""

import pytest
from django.http import QueryDict

from stations.serializers import NearestQuerySerializer, plain_nearest_query

PLAIN = [
    "lat=39.9&lon=116.4",
    "lat=39.9&lon=116.4&limit=50&radius=50000&open_now=True&kind=canteen",
    "lat=-90&lon=180&limit=1&radius=1&open_now=0",
    "lat= 39.9 &lon=116.4&open_now=YES",
    "lat=30.2&lon=120.1&crs=gcj02&amenity=toilet&amenity=wifi&amenity=toilet",
    "lat=30.2&lon=120.1&crs=bd09&unknown=1",
    "lat=1e1&lon=1_0",
]
OTHERS = [
    # refused by the serializer
    "lat=91&lon=116.4", "lat=nan&lon=1", "lat=inf&lon=1", "lat=39.9", "lon=1",
    "lat=39.9&lon=116.4&limit=0", "lat=39.9&lon=116.4&limit=51", "lat=39.9&lon=116.4&limit=2.5",
    "lat=39.9&lon=116.4&radius=0", "lat=39.9&lon=116.4&radius=inf", "lat=39.9&lon=116.4&radius=x",
    "lat=39.9&lon=116.4&kind=bar", "lat=39.9&lon=116.4&crs=",
    "lat=39.9&lon=116.4&amenity=sauna", "lat=39.9&lon=116.4&amenity=",
    "lat=39.9&lon=116.4&open_now=maybe", "lat=" + "1" * 1001 + "&lon=1",
    # valid, but read in DRF's own ways: left to it
    "lat=39.9&lon=116.4&kind=", "lat=39.9&lon=116.4&limit=5.0", "lat=1&lat=2&lon=3",
    "lat=39.9&lon=116.4&amenity[0]=toilet",
]


@pytest.mark.parametrize("query", PLAIN + OTHERS)
def test_it_accepts_what_the_serializer_accepts_with_the_same_values(query):
    data = QueryDict(query)
    plain = plain_nearest_query(dict(data.lists()))
    if query in PLAIN:
        assert plain is not None  # the searches riders' apps send take the short way
    elif plain is None:
        return  # left to the serializer, which decides as it always did
    serializer = NearestQuerySerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    expected = dict(serializer.validated_data)
    point = expected.pop("point")
    lon, lat = plain.pop("point")
    assert (lon, lat) == pytest.approx((point.x, point.y), abs=1e-12)
    assert plain == expected
