"""`?format=csv` on the case list: the same jurisdiction and filters, UTF-8 with BOM, formulas
neutralised, every matching case (no pages)."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from cases.models import Status
from tests.factories import make_case, make_staff

LIST = reverse("cases:case-list")


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def a_staff(api, tree):
    api.force_authenticate(make_staff(tree.a.union))
    return api


def test_it_exports_only_the_jurisdiction_and_honours_the_filters(a_staff, tree):
    mine = make_case(area=tree.a, union=tree.a.union, status=Status.ACCEPTED)
    make_case(area=tree.a, union=tree.a.union, status=Status.RECEIVED)
    make_case(area=tree.b, union=tree.b.union, status=Status.ACCEPTED)  # B's: never exported

    response = a_staff.get(LIST, {"format": "csv", "status": "accepted"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *lines = rows(response)
    assert [line[0] for line in lines] == [mine.reference]
    assert len(header) == len(lines[0])


def test_it_exports_every_case_not_one_page(a_staff, tree):
    for _ in range(3):
        make_case(area=tree.a, union=tree.a.union)

    response = a_staff.get(LIST, {"format": "csv", "page_size": 1})

    assert len(rows(response)) == 1 + 3


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_it_neutralises_cells_a_spreadsheet_would_run(a_staff, tree, text):
    make_case(area=tree.a, union=tree.a.union, description=text, address="朝阳路1号",
              location=Point(101, 1, srid=4326))

    header, line = rows(a_staff.get(LIST, {"format": "csv"}))

    description = line[-2]
    assert description == "'" + text
    assert "朝阳路1号" in line  # ordinary text untouched


def test_a_bad_filter_is_still_a_json_400(a_staff, tree):
    response = a_staff.get(LIST, {"format": "csv", "status": "lost"})

    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_it_is_for_staff_only(api, tree):
    assert api.get(LIST, {"format": "csv"}).status_code in (401, 403)
