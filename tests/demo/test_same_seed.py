"""One seed gives the same data; another seed gives other data."""

import hashlib

import pytest
from django.db import connection

from demo.load import load_demo, remove_demo

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    # Everything but ids, references and load times, which depend on sequences and the clock.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
                SELECT concat_ws(',', f.kind, f.name, f.address, ST_AsText(f.location), a.adcode,
                                 f.status, f.amenities::text, f.opening_hours, f.seats,
                                 f.meal_price_min, f.sockets, f.charging_price) AS row
                FROM stations_facility f JOIN stations_area a ON a.id = f.area_id WHERE f.is_demo
                UNION ALL
                SELECT concat_ws(',', c.category, c.channel, c.description, ST_AsText(c.location),
                                 c.status, c.created_at, c.resolved_at, c.rating, c.reporter_name,
                                 c.tracking_token, (SELECT count(*) FROM cases_caseevent e
                                                    WHERE e.case_id = c.id))
                FROM cases_case c WHERE c.is_demo
                UNION ALL
                SELECT concat_ws(',', u.name, u.address, a.adcode)
                FROM stations_union u JOIN stations_area a ON a.id = u.area_id WHERE u.is_demo
            ) rows
            """
        )
        digest = cursor.fetchone()[0]
    return hashlib.sha1(digest.encode()).hexdigest()


def test_it_gives_the_same_data_for_the_same_seed(small_demo):
    seed_1 = _fingerprint()  # the package's demo: seed 1, loaded today
    load_demo(seed=5)  # replaces it
    seed_5 = _fingerprint()
    remove_demo()
    load_demo(seed=5)
    assert _fingerprint() == seed_5
    assert seed_5 != seed_1
