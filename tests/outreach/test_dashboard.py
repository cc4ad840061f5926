"""Public dashboards: figures only, no personal field, small counts suppressed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case

pytestmark = pytest.mark.django_db

SECRET = "张三 13800138000"


def _cases(area, union, n, **fields):
    now = timezone.now()
    for i in range(n):
        make_case(area=area, union=union, created_at=now - timedelta(days=2, hours=i),
                  reporter_name="张三", reporter_phone="13800138000",
                  description=f"{SECRET} 私人内容", address="某小区3号楼", **fields)


def _resolved(area, union, n, days, **fields):
    now = timezone.now()
    _cases(area, union, n, status="resolved", resolved_at=now - timedelta(days=2) + timedelta(days=days),
           resolution="已办结 done", **fields)


def test_it_publishes_figures_and_no_personal_field(api, tree):
    _resolved(tree.a, tree.a.union, 6, 3, rating=4)
    body = api.get(reverse("outreach:dashboard-api", args=[tree.c.adcode]))
    assert body.status_code == 200
    text = body.content.decode()
    for private in ("张三", "13800138000", "私人内容", "某小区", "reference", "reporter",
                    "tracking", "description", "location"):
        assert private not in text
    t = body.json()["totals"]
    assert (t["received"], t["resolved"]) == (6, 6)
    assert t["one_time_resolution_rate"] == 1.0 and t["mean_rating"] == 4.0


def test_small_counts_are_shown_as_under_5_and_rates_withheld(api, tree):
    _resolved(tree.a, tree.a.union, 6, 3)
    _resolved(tree.b, tree.b.union, 2, 10)
    body = api.get(reverse("outreach:dashboard-api", args=[tree.c.adcode])).json()
    subs = {s["adcode"]: s for s in body["sub_areas"]}
    assert subs[tree.b.adcode]["received"] == "<5"
    assert subs[tree.b.adcode]["one_time_resolution_rate"] is None
    assert subs[tree.b.adcode]["median_handling_days"] is None
    assert body["totals"]["received"] == 8
    # 8 - 6 would tell B's count: A's is withheld as well.
    assert subs[tree.a.adcode]["received"] is None


def test_two_small_rows_need_no_complement(api, tree):
    _resolved(tree.a, tree.a.union, 3, 3)
    _resolved(tree.b, tree.b.union, 2, 10)
    _resolved(tree.c, tree.c.union, 6, 3)  # in the city itself, in no sub-area
    body = api.get(reverse("outreach:dashboard-api", args=[tree.c.adcode])).json()
    assert [s["received"] for s in body["sub_areas"]] == ["<5", "<5"]
    assert body["totals"]["received"] == 11


def test_a_lone_small_month_withholds_the_smallest_other(api, tree):
    now = timezone.now()
    for days, n in ((2, 2), (40, 7), (75, 9)):
        for i in range(n):
            make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=days, hours=i))
    months = api.get(reverse("outreach:dashboard-api", args=[tree.a.adcode])).json()["by_month"]
    received = sorted((m["received"] for m in months), key=str)
    assert "<5" in received and None in received and 9 in received and 7 not in received


def test_on_time_rate_and_median_days(api, tree):
    _resolved(tree.a, tree.a.union, 5, 3)  # within the 7-day term
    _resolved(tree.a, tree.a.union, 5, 9)  # late (due 7 days after receipt)
    t = api.get(reverse("outreach:dashboard-api", args=[tree.a.adcode])).json()["totals"]
    assert t["on_time_rate"] == 0.5
    assert 5 <= t["median_handling_days"] <= 7


def test_by_month_and_category_are_suppressed_too(api, tree):
    _cases(tree.a, tree.a.union, 3, category="safety")
    body = api.get(reverse("outreach:dashboard-api", args=[tree.a.adcode])).json()
    assert [r["received"] for r in body["by_category"]] == ["<5"]
    assert body["by_month"][-1]["received"] == "<5"


def test_unknown_area_is_a_404(api, db):
    assert api.get(reverse("outreach:dashboard-api", args=["999999"])).status_code == 404


def test_the_page_renders_for_anyone(client, tree):
    _resolved(tree.a, tree.a.union, 6, 3)
    page = client.get(reverse("outreach:dashboard", args=[tree.c.adcode]))
    assert page.status_code == 200
    html = page.content.decode()
    assert tree.a.name in html and "张三" not in html
