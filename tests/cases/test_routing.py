"""`cases.routing.route` (one statement, for intake) agrees with the stations vocabulary."""

from django.contrib.gis.geos import Point
from django.db import connection

from cases.routing import route
from stations.models import Area, Union


def _points_in_every_district(per_district: int = 3) -> list[Point]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(p.geom), ST_Y(p.geom) FROM (
                SELECT (ST_Dump(ST_GeneratePoints(boundary, %s, 7))).geom
                FROM stations_area WHERE level = 'district'
            ) p
            """,
            [per_district],
        )
        return [Point(x, y, srid=4326) for x, y in cursor.fetchall()]


def test_it_agrees_with_containing_and_responsible_union(real_areas, seed_unions):
    # Unions at some cities and a province too, so that walking up is exercised.
    for code in ("330400", "431300", "330000"):
        Union.objects.create(area=real_areas[code], name=f"{real_areas[code].name}总工会")
    points = _points_in_every_district()
    assert len(points) >= 43 * 3

    for point in points:
        expected_area = Area.objects.containing(point).first()
        expected_union = expected_area.responsible_union() if expected_area else None
        routing = route(point)
        assert routing.area == expected_area, point
        assert routing.union == expected_union, point
        if routing.union is not None:
            assert routing.union.area.adcode == expected_union.area.adcode


def test_it_routes_a_point_outside_every_area_nowhere(real_areas):
    routing = route(Point(-30, 0.5, srid=4326))

    assert routing.area is None and routing.union is None


def test_an_area_without_any_union_above_it_has_none(real_areas):
    routing = route(Point(116.46, 39.92, srid=4326))  # central Chaoyang, Beijing

    assert routing.area.adcode == "110105" and routing.union is None
