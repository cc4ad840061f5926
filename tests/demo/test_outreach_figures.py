"""The outreach figures of the articles hold in the small demo (outreach.demo)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, EventKind
from outreach.models import Enterprise, Pairing, ReceptionSession, Visit
from outreach.reviews import review
from outreach.templatetags.outreach import upcoming_sittings

pytestmark = pytest.mark.django_db


def test_yuecheng_gives_the_articles_figures(small_demo):
    area = small_demo["330602"]
    today = timezone.localdate()
    result = review(area, today - timedelta(days=400), today + timedelta(days=1), today)
    t = result["totals"]
    assert (t["visits"], t["issues_raised"], t["issues_solved"]) == (1833, 925, 876)
    assert round(t["resolution_rate"] * 100, 1) == 94.7
    assert len(result["staff"]) == 23
    assert len(result["sub_areas"]) == 17


def test_yuecheng_has_87_key_enterprises_in_17_streets_owned_by_23_staff(small_demo):
    firms = Enterprise.objects.filter(is_demo=True, area=small_demo["330602"])
    assert firms.filter(is_key=True).count() == 87
    assert firms.values("street").distinct().count() == 17
    assert firms.values("owner").distinct().count() == 23
    # Each staff member visits their own slice (分片包干).
    assert not Visit.objects.filter(is_demo=True).exclude(
        staff=models_F("enterprise__owner")
    ).filter(enterprise__area=small_demo["330602"]).exists()


def test_xiuzhou_has_a_wednesday_reception_day_at_wangdian(small_demo):
    session = ReceptionSession.objects.get(is_demo=True, facility__name="王店镇总工会户外劳动者驿站")
    assert (session.repeat, session.weekday) == ("weekly", 2)
    sittings = upcoming_sittings(session.facility_id)
    assert sittings and all(timezone.localtime(s.start).weekday() == 2 for s in sittings)
    assert Pairing.objects.filter(is_demo=True, facility=session.facility).exists()


def test_wuyi_employers_with_unions_receive_cases_first(small_demo):
    firms = Enterprise.objects.filter(is_demo=True, area=small_demo["330723"],
                                      union__isnull=False)
    assert firms.count() >= 2
    cases = Case.objects.filter(is_demo=True, employer_code__in=firms.values("credit_code"))
    assert cases.count() >= 10
    for case in cases:
        assert case.assigned_union.parent.area == small_demo["330723"]
        note = case.events.get(kind=EventKind.ASSIGNMENT).note
        assert "employer's own union" in note


def models_F(name):  # noqa: N802 (reads as the F it returns)
    from django.db.models import F

    return F(name)
