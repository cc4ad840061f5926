"""Review figures against hand counts on built data."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Channel
from outreach.models import Visit, VisitIssue, VisitTarget
from outreach.reviews import review
from tests.factories import make_case, make_staff
from tests.outreach.builders import make_enterprise

pytestmark = pytest.mark.django_db

MON = date(2026, 3, 2)  # a Monday; the window is March 2026


@pytest.fixture
def ledger(tree):
    """District A, March 2026 (hand counts in the tests):
    li: 4 visits in week 1 (to key firm k1 x3, k2), 1 in week 2 (k1)  -> week 1 on target
    wang: 2 visits in week 2 (plain firm p)
    issues: li's first visit raised 2 (1 resolved), wang's first raised 1 (resolved)
    key firm k3 never visited; a visit in February and one in district B are outside.
    """
    VisitTarget.objects.create(union=tree.a.union, weekly_visits=4)
    li, wang = make_staff(tree.a.union, username="li"), make_staff(tree.a.union, username="wang")
    k1 = make_enterprise(tree.a, is_key=True, street="塔山街道")
    k2 = make_enterprise(tree.a, is_key=True, street="府山街道")
    make_enterprise(tree.a, is_key=True, street="府山街道", name="从未走访 never visited")
    p = make_enterprise(tree.a, street="塔山街道")
    far = make_enterprise(tree.b, is_key=True)

    def visit(firm, day, staff):
        return Visit.objects.create(enterprise=firm, visited_on=day, staff=staff, findings="f")

    first = visit(k1, MON, li)
    for firm, d in ((k1, 3), (k1, 4), (k2, 5), (k1, 10)):
        visit(firm, date(2026, 3, d), li)
    w1 = visit(p, date(2026, 3, 9), wang)
    visit(p, date(2026, 3, 11), wang)
    visit(k1, date(2026, 2, 27), li)
    visit(far, MON, make_staff(tree.b.union))
    now = timezone.now()
    for v, resolved in ((first, True), (first, False), (w1, True)):
        case = make_case(area=tree.a, union=tree.a.union, channel=Channel.VISIT,
                         resolved_at=now if resolved else None,
                         resolution="已解决 done" if resolved else "",
                         status="resolved" if resolved else "accepted")
        VisitIssue.objects.create(visit=v, case=case)
    return tree


def test_totals_match_the_hand_counts(ledger):
    result = review(ledger.a, date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    t = result["totals"]
    assert (t["visits"], t["enterprises_visited"]) == (7, 3)
    assert (t["key_enterprises"], t["key_enterprises_visited"]) == (3, 2)
    assert (t["issues_raised"], t["issues_solved"]) == (3, 2)
    assert t["resolution_rate"] == round(2 / 3, 4)


def test_staff_rows_count_weeks_against_the_target(ledger):
    result = review(ledger.a, date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    rows = {s["username"]: s for s in result["staff"]}
    assert (rows["li"]["visits"], rows["li"]["weeks_met"]) == (5, 1)
    assert (rows["li"]["issues_raised"], rows["li"]["issues_solved"]) == (2, 1)
    assert (rows["wang"]["visits"], rows["wang"]["weeks_met"]) == (2, 0)
    # March 2026 overlaps the weeks of Feb 23 (the 1st is a Sunday) to Mar 30.
    assert len(rows["li"]["weeks"]) == 6


def test_streets_and_key_enterprises_not_visited(ledger):
    result = review(ledger.a, date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 31))
    streets = {a["street"]: (a["visits"], a["enterprises_visited"]) for a in result["sub_areas"]}
    assert streets == {"塔山街道": (6, 2), "府山街道": (1, 1)}
    assert [e["name"] for e in result["key_not_visited"]] == ["从未走访 never visited"]


def test_the_api_and_its_csv(api, ledger):
    api.force_authenticate(make_staff(ledger.a.union))
    url = reverse("outreach:reviews")
    body = api.get(url, {"period": "month", "date": "2026-03-15"}).json()
    assert body["totals"]["visits"] == 7 and body["area"]["adcode"] == ledger.a.adcode
    csv = api.get(url, {"since": "2026-03-01", "until": "2026-04-01", "format": "csv"})
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeff") and "\r\nstaff,li," in text


def test_bad_period_and_foreign_area_are_refused(api, ledger):
    api.force_authenticate(make_staff(ledger.a.union))
    url = reverse("outreach:reviews")
    bad = api.get(url, {"period": "decade"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    assert api.get(url, {"area": ledger.b.adcode}).status_code == 404


def test_an_error_asked_for_as_csv_is_json_and_says_so(api, ledger):
    api.force_authenticate(make_staff(ledger.a.union))
    bad = api.get(reverse("outreach:reviews"), {"period": "decade", "format": "csv"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/json"
    assert "period" in bad.json()["errors"]
