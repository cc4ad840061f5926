"""A known client_token does not open someone else's case (issue 14, item 4)."""

from cases.models import Case

from .helpers import post_case


def test_a_used_token_with_other_content_is_409_without_the_tracking_token(api, owner_area):
    where = owner_area.adcode  # every case needs an owner
    first = post_case(api, client_token="shared", description="我的诉求 mine", area=where)
    other = post_case(api, client_token="shared", description="别人的 someone else's", area=where)

    assert (first.status_code, other.status_code) == (201, 409)
    assert "tracking_token" not in other.content.decode()
    assert first.json()["tracking_token"] not in other.content.decode()
    assert "client_token" in other.json()["errors"]
    assert Case.objects.count() == 1


def test_a_retry_with_the_same_content_and_point_still_gets_its_case(api, tree):
    first = post_case(api, client_token="retry", lat=1.25, lon=101.5, crs="gcj02")
    again = post_case(api, client_token="retry", lat=1.25, lon=101.5, crs="gcj02")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_token"] == first.json()["tracking_token"]


def test_the_same_text_at_another_place_is_not_a_retry(api, tree):
    post_case(api, client_token="moved", lat=1.25, lon=101.5)
    assert post_case(api, client_token="moved", lat=1.26, lon=101.5).status_code == 409
