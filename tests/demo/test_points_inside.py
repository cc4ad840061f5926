"""Every generated point lies inside its district's real boundary."""

import pytest
from django.db import connection

from demo.places import covered
from demo.spec import URBAN_CORES, WANGDIAN_SEAT, XIUZHOU_TOWN_SEATS

pytestmark = pytest.mark.django_db


def test_it_puts_every_facility_and_case_inside_its_district(small_demo):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE NOT ST_Covers(a.boundary, p.location)
                                             OR a.level <> 'district')
            FROM (SELECT location, area_id FROM stations_facility WHERE is_demo
                  UNION ALL
                  SELECT location, area_id FROM cases_case WHERE is_demo AND location IS NOT NULL) p
            JOIN stations_area a ON a.id = p.area_id
            """
        )
        total, outside = cursor.fetchone()
    assert total > 3000
    assert outside == 0


def test_it_uses_a_wangdian_seat_and_town_seats_inside_xiuzhou(small_demo):
    xiuzhou = small_demo["330411"]
    seats = [seat for _, seat in XIUZHOU_TOWN_SEATS.values()]
    assert covered(xiuzhou.pk, [WANGDIAN_SEAT, *seats]) == [True] * (len(seats) + 1)
    # and outside the neighbouring 南湖区, which wraps into Xiuzhou's east
    assert covered(small_demo["330402"].pk, [WANGDIAN_SEAT]) == [False]


def test_it_knows_urban_cores_inside_their_districts(small_demo):
    for adcode, core in URBAN_CORES.items():
        assert covered(small_demo[adcode].pk, [core]) == [True], adcode
