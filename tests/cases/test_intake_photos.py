"""Multipart intake with photos: atomic, stored through the storage API, shown to staff only."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from cases.models import Case, CasePhoto
from tests.factories import make_staff

from .photo_bytes import jpeg_with_gps, png_bomb, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post_multipart(client, photos, **data):
    data = {"category": "other", "description": "站点锁门 locked", "lat": "1", "lon": "101",
            **data, "photos": photos}
    return client.post(reverse("cases:case-list"), data)  # Django's test client: multipart


def test_a_case_with_photos_stores_clean_copies(client, tree):
    response = post_multipart(client, [upload(jpeg_with_gps()), upload(jpeg_with_gps(800, 600))])
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    photos = list(case.photos.all())
    assert [(p.width, p.height) for p in photos] == [(1600, 1067), (800, 600)]
    assert all(default_storage.exists(p.image.name) for p in photos)
    assert all(p.image.name.startswith("case-photos/") for p in photos)


def test_one_bad_photo_refuses_the_whole_case(client, tree):
    response = post_multipart(client, [upload(jpeg_with_gps()), upload(b"not an image", "x.jpg")])
    assert response.status_code == 400
    assert "photos" in response.json()["errors"]
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_a_bomb_is_a_400_naming_photos(client, tree):
    response = post_multipart(client, [upload(png_bomb(), "b.png", "image/png")])
    assert response.status_code == 400 and "photos" in response.json()["errors"]
    assert not Case.objects.exists()


def test_more_than_three_photos_are_refused(client, tree):
    response = post_multipart(client, [upload(jpeg_with_gps(100, 100)) for _ in range(4)])
    assert response.status_code == 400 and "photos" in response.json()["errors"]
    assert not Case.objects.exists()


def test_a_retry_with_the_same_token_makes_one_case_with_one_set_of_photos(client, tree):
    first = post_multipart(client, [upload(jpeg_with_gps(200, 100))], client_token="draft-1")
    again = post_multipart(client, [upload(jpeg_with_gps(200, 100))], client_token="draft-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Case.objects.count() == 1 and CasePhoto.objects.count() == 1


def test_only_staff_of_the_jurisdiction_can_see_the_photos(client, tree):
    reference = post_multipart(client, [upload(jpeg_with_gps(200, 100))]).json()["reference"]
    photo = CasePhoto.objects.get()
    url = reverse("cases:case-photo", args=[reference, photo.pk])
    assert client.get(url).status_code in (401, 403)  # the public
    client.force_login(make_staff(tree.b.union))
    assert client.get(url).status_code == 404  # another union's case
    client.force_login(make_staff(tree.a.union))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    detail = client.get(reverse("cases:case-detail", args=[reference])).json()
    assert detail["properties"]["photos"] == [f"http://testserver{url}"]


def test_the_reporter_sees_their_photos_with_the_token_in_the_header(client, tree):
    receipt = post_multipart(client, [upload(jpeg_with_gps(200, 100))]).json()
    tracked = client.get(reverse("cases:case-track", args=[receipt["reference"]]),
                         HTTP_X_TRACKING_TOKEN=receipt["tracking_token"]).json()
    (path,) = tracked["photos"]
    assert client.get(path).status_code == 404  # no token
    assert client.get(path, HTTP_X_TRACKING_TOKEN="wrong").status_code == 404
    response = client.get(path, HTTP_X_TRACKING_TOKEN=receipt["tracking_token"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_the_admin_shows_the_photos_through_the_staff_view(client, tree):
    reference = post_multipart(client, [upload(jpeg_with_gps(200, 100))]).json()["reference"]
    case = Case.objects.get(reference=reference)
    client.force_login(make_staff(tree.a.union, is_superuser=True))
    page = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    photo_url = reverse("cases:case-photo", args=[reference, case.photos.get().pk])
    assert f'src="{photo_url}"' in page
    assert "/media/" not in page  # no public file URL anywhere


def test_a_photos_field_that_is_not_a_file_is_a_flat_list_of_messages(client, tree):
    response = client.post(reverse("cases:case-list"), {
        "category": "other", "description": "x", "lat": "1", "lon": "101", "photos": "text",
    })
    assert response.status_code == 400
    messages = response.json()["errors"]["photos"]
    assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    assert not Case.objects.exists()
