"""`media_url` as the photo's URL for a key of the union whose jurisdiction holds the case, and
that URL serving the JPEG to that key only; photos are never public."""

import io

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from PIL import Image

from cases.intake import attach_photos
from cases.photos import clean_photo
from open311.models import ApiKey
from tests.cases.helpers import new_case
from tests.cases.photo_bytes import jpeg_with_gps, upload

from .helpers import body, url, xml_records


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def with_photo(lon: float, category: str, width: int = 300):
    case = new_case(Point(lon, 1, srid=4326), category=category)
    attach_photos(case, [clean_photo(upload(jpeg_with_gps(width, 200))),
                         clean_photo(upload(jpeg_with_gps(120, 90)))])
    return case.reference


def photo_path(reference: str, key: str | None = None) -> str:
    path = reverse("open311:request-photo", kwargs={"service_request_id": reference})
    return f"{path}?api_key={key}" if key else path


def detail(client, reference: str, key: str | None = None, fmt: str = "json") -> dict:
    query = {"api_key": key} if key else None
    response = client.get(url("request", fmt, query, service_request_id=reference))
    assert response.status_code == 200
    return xml_records(body(response))[0] if fmt == "xml" else body(response)[0]


def fetch(client, path: str):
    response = client.get(path)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_the_unions_key_gets_the_photo_url_and_the_jpeg(client, tree, keys):
    reference = with_photo(101, "wage_arrears", width=300)

    shown = detail(client, reference, keys.a)
    shown_xml = detail(client, reference, keys.a, fmt="xml")
    assert shown["media_url"] == f"http://testserver{photo_path(reference)}"
    assert shown_xml["media_url"] == shown["media_url"]

    response, content = fetch(client, photo_path(reference, keys.a))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    image = Image.open(io.BytesIO(content))
    assert (image.format, image.size) == ("JPEG", (300, 200))  # the first photo, not the second
    assert not image.getexif()  # the re-encoded copy: no GPS position


def test_the_list_carries_the_photo_url_for_the_key_too(client, tree, keys):
    reference = with_photo(101, "station_shortage")
    listed = body(client.get(url("requests", "json", {"api_key": keys.a})))
    assert [r["media_url"] for r in listed if r["service_request_id"] == reference] == [
        f"http://testserver{photo_path(reference)}"
    ]


def test_another_unions_key_gets_no_url_and_no_photo(client, tree, keys):
    public = with_photo(101, "station_shortage")  # B's key reads it, but not its photo
    private = with_photo(101, "wage_arrears")

    assert detail(client, public, keys.b)["media_url"] == ""
    for reference in (public, private):
        response, _ = fetch(client, photo_path(reference, keys.b))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert body(response)[0]["code"] == 404


def test_public_callers_get_no_photo_url(client, tree, keys):
    reference = with_photo(101, "station_shortage")
    assert detail(client, reference)["media_url"] == ""
    assert detail(client, reference, keys.none)["media_url"] == ""  # a key without a union


@pytest.mark.parametrize("key", [None, "wrong-key", "none"])
def test_no_key_a_wrong_key_or_a_key_without_a_union_is_403(client, tree, keys, key):
    reference = with_photo(101, "station_shortage")
    response, _ = fetch(client, photo_path(reference, keys.none if key == "none" else key))
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    assert body(response)[0]["code"] == 403


def test_an_unknown_request_or_one_without_photos_is_404(client, tree, keys):
    bare = new_case(Point(101, 1, srid=4326), category="wage_arrears").reference
    for reference in ("nothing-here", bare):
        response, _ = fetch(client, photo_path(reference, keys.a))
        assert response.status_code == 404
    assert detail(client, bare, keys.a)["media_url"] == ""


def test_a_revoked_key_is_403(client, tree, keys):
    reference = with_photo(101, "wage_arrears")
    ApiKey.objects.get(union=tree.a.union).revoke()
    response, _ = fetch(client, photo_path(reference, keys.a))
    assert response.status_code == 403


def test_the_refusal_is_described_in_the_callers_language(client, tree, keys):
    reference = with_photo(101, "station_shortage")
    path = photo_path(reference, keys.none)
    chinese = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert body(chinese)[0]["description"] == "照片仅向管辖该诉求的工会的密钥提供"
    assert body(english)[0]["description"].startswith("photos are shown only")
