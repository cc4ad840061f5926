"""Reception days: weekly sittings on Asia/Shanghai's clock (no DST), across midnight; the API's
next sitting and `upcoming`; cases taken at a sitting link to it."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from cases.models import Case, Channel
from outreach.models import HostRole, Pairing, ReceptionSession, Repeat
from tests.factories import make_facility, make_staff

pytestmark = pytest.mark.django_db
UTC = UTC


def _weekly(facility, weekday, starts, ends, **fields):
    return ReceptionSession.objects.create(
        facility=facility, repeat=Repeat.WEEKLY, weekday=weekday, starts=starts, ends=ends,
        host_name="王店镇镇长", host_role=HostRole.TOWN_HEAD, **fields,
    )


def test_a_wednesday_morning_is_the_same_utc_instant_every_week_of_the_year(tree):
    station = make_facility(101.0, 1.0)
    session = _weekly(station, 2, time(9), time(11, 30))
    # 1 January to 31 December 2026: Shanghai never changes its offset, so 09:00 there is
    # always 01:00 UTC, in winter and summer alike.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    sittings = session.occurrences(start, start + timedelta(days=365))
    assert len(sittings) == 52
    assert {(s.start.astimezone(UTC).hour, s.start.astimezone(UTC).minute) for s in sittings} == {
        (1, 0)
    }
    assert {s.start.astimezone(UTC).weekday() for s in sittings} == {2}
    assert all(s.end - s.start == timedelta(hours=2, minutes=30) for s in sittings)


def test_an_evening_session_runs_past_midnight(tree):
    session = _weekly(make_facility(101.0, 1.0), 2, time(22), time(1))  # Wed 22:00 - Thu 01:00
    # Thursday 00:30 in Shanghai (Wednesday 16:30 UTC): the Wednesday sitting is still on.
    now = datetime(2026, 3, 4, 16, 30, tzinfo=UTC)
    sitting = session.next_occurrence(now)
    assert sitting.start == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wed 22:00 +08
    assert sitting.end == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)  # Thu 01:00 +08
    # At 01:00 it is over: the next is a week later.
    over = session.next_occurrence(datetime(2026, 3, 4, 17, 0, tzinfo=UTC))
    assert over.start == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)


def test_a_session_at_local_midnight_is_on_the_previous_utc_day(tree):
    session = _weekly(make_facility(101.0, 1.0), 0, time(0, 30), time(2))  # Monday 00:30 +08
    sitting = session.next_occurrence(datetime(2026, 3, 1, tzinfo=UTC))
    assert sitting.start == datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # Sunday in UTC
    assert sitting.start.astimezone(UTC).weekday() == 6


def test_validity_bounds_and_one_off_sessions(tree):
    station = make_facility(101.0, 1.0)
    bounded = _weekly(station, 2, time(9), time(10), valid_until=date(2026, 3, 10))
    after = datetime(2026, 3, 1, tzinfo=UTC)
    assert [s.start.date() for s in bounded.occurrences(after, after + timedelta(days=60))] == [
        date(2026, 3, 4)
    ]
    once = ReceptionSession.objects.create(
        facility=station, repeat=Repeat.ONCE, date=date(2026, 3, 20), starts=time(14),
        ends=time(16), host_name="区人大代表", host_role=HostRole.DEPUTY,
    )
    assert once.next_occurrence(after).start == datetime(2026, 3, 20, 6, tzinfo=UTC)
    assert once.next_occurrence(datetime(2026, 3, 21, tzinfo=UTC)) is None


def test_the_api_lists_upcoming_ones_for_anyone(api, tree):
    station = make_facility(101.0, 1.0)
    _weekly(station, 2, time(9), time(10))
    ReceptionSession.objects.create(
        facility=station, repeat=Repeat.ONCE, date=date(2020, 1, 1), starts=time(9),
        ends=time(10), host_name="过去 past", host_role=HostRole.OTHER,
    )
    rows = api.get(reverse("outreach:reception-day-list"), {"upcoming": "true",
                                                              "area": tree.a.adcode}).json()
    assert [r["host_name"] for r in rows["results"]] == ["王店镇镇长"]
    assert rows["results"][0]["next_start"].endswith("+08:00")


def test_staff_create_sessions_only_in_their_jurisdiction_with_fields_named(api, tree):
    ours, theirs = make_facility(101.0, 1.0), make_facility(103.0, 1.0)
    api.force_authenticate(make_staff(tree.a.union))
    url = reverse("outreach:reception-day-list")
    body = {"facility": ours.pk, "repeat": "weekly", "weekday": 2, "starts": "09:00",
            "ends": "11:00", "host_name": "镇长", "host_role": "town_head"}
    assert api.post(url, body, format="json").status_code == 201
    refused = api.post(url, {**body, "facility": theirs.pk}, format="json")
    assert refused.status_code == 400 and "facility" in refused.json()["errors"]
    no_day = api.post(url, {**body, "weekday": None}, format="json")
    assert no_day.status_code == 400 and "weekday" in no_day.json()["errors"]
    api.force_authenticate(None)
    assert api.post(url, body, format="json").status_code in (401, 403)


def test_a_case_taken_at_a_session_links_to_it(api, tree):
    station = make_facility(101.0, 1.0)
    session = _weekly(station, 2, time(9), time(10))
    api.force_authenticate(make_staff(tree.a.union))
    url = reverse("outreach:reception-day-cases", args=[session.pk])
    response = api.post(url, {"category": "wage_arrears", "description": "欠薪 arrears"},
                        format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.channel == Channel.RECEPTION_DAY and case.facility == station
    assert case.reception_session.session == session


def test_the_template_tag_shows_next_sittings_and_paired_officials(tree):
    station = make_facility(101.0, 1.0)
    _weekly(station, 2, time(9), time(10))
    Pairing.objects.create(facility=station, official_name="王店镇总工会主席",
                           role=HostRole.UNION_CHAIR)
    html = Template("{% load outreach %}{% facility_sessions f %}").render(Context({"f": station}))
    assert html.count("王店镇镇长") == 3 and "王店镇总工会主席" in html


def test_staff_move_and_cancel_only_their_own_sessions(api, tree):
    ours = _weekly(make_facility(101.0, 1.0), 2, time(9), time(10))
    theirs = _weekly(make_facility(103.0, 1.0), 2, time(9), time(10))
    api.force_authenticate(make_staff(tree.a.union))
    moved = api.patch(reverse("outreach:reception-day-detail", args=[ours.pk]),
                      {"weekday": 3}, format="json")
    assert moved.status_code == 200 and moved.json()["weekday"] == 3
    bad = api.patch(reverse("outreach:reception-day-detail", args=[ours.pk]),
                    {"weekday": 9}, format="json")
    assert bad.status_code == 400 and "weekday" in bad.json()["errors"]
    other = reverse("outreach:reception-day-detail", args=[theirs.pk])
    assert api.patch(other, {"weekday": 3}, format="json").status_code == 404
    assert api.delete(other).status_code == 404
    assert api.delete(reverse("outreach:reception-day-detail", args=[ours.pk])).status_code == 204
    assert list(ReceptionSession.objects.all()) == [theirs]


def test_pairings_are_public_by_facility(api, tree):
    station, other = make_facility(101.0, 1.0), make_facility(103.0, 1.0)
    Pairing.objects.create(facility=station, official_name="王店镇总工会主席",
                           role=HostRole.UNION_CHAIR)
    Pairing.objects.create(facility=other, official_name="别处 elsewhere", role=HostRole.OTHER)
    rows = api.get(reverse("outreach:pairing-list"), {"facility": station.pk}).json()["results"]
    assert [r["official_name"] for r in rows] == ["王店镇总工会主席"]
    rows = api.get(reverse("outreach:pairing-list"), {"area": tree.b.adcode}).json()["results"]
    assert [r["official_name"] for r in rows] == ["别处 elsewhere"]
