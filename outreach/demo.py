"""Outreach demo rows, loaded and removed by demo.load (every row marked is_demo).

Figures from the source articles:
- 越城区 (越工周记): 87 key enterprises in its 17 streets, owned in slices by 23 staff; 1,833
  visits raising 925 issues, of which 876 are solved (化解率 94.7 %). The 925 issues are the
  district's demo cases of channel `visit` (demo.spec), each linked to a visit on its day.
- 秀洲区: the town head's reception day every Wednesday at the 王店镇 station, and each town
  station paired with its town union's chair (工会主席结对驿站).
- 武义县 (四有): delivery and express employers with their own unions; workers' cases naming
  them go through intake and land with those unions first.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from cases.employers import Employer
from cases.intake import submit
from cases.models import Case, Category, Channel, StaffMember
from outreach.creditcode import ALPHABET, check_character
from outreach.models import (
    Enterprise,
    HostRole,
    Industry,
    Pairing,
    ReceptionSession,
    Repeat,
    SessionCase,
    Visit,
    VisitIssue,
    VisitTarget,
)
from stations.models import Area, Facility, Union

TOWNS_FILE = settings.BASE_DIR / "fixtures" / "towns.csv"
YUECHENG, XIUZHOU, WUYI = "330602", "330411", "330723"
KEY_ENTERPRISES = 87
STAFF = 23
VISITS = 1_833
ISSUES = 925
WEEKLY_TARGET = 4
WANGDIAN_STATION = "王店镇总工会户外劳动者驿站"
WUYI_EMPLOYERS = (
    ("武义同城配送有限公司", Industry.DELIVERY_PLATFORM),
    ("武义速达快递有限公司", Industry.EXPRESS),
    ("武义顺程货运有限公司", Industry.FREIGHT),
)
WUYI_EMPLOYER_CASES = 12
SUFFIXES = ("科技有限公司", "制造有限公司", "物流有限公司", "纺织有限公司", "机械有限公司",
            "服装有限公司", "食品有限公司", "电子有限公司")
INDUSTRIES = [Industry.OTHER] * 5 + [Industry.EXPRESS, Industry.DELIVERY_PLATFORM, Industry.FREIGHT]


def credit_code(rng: random.Random, division: str) -> str:
    """A well-formed code of a company (9: registered by market regulation, 1: enterprise)."""
    body = "91" + division + "MA2" + "".join(rng.choice(ALPHABET) for _ in range(6))
    return body + check_character(body)


def _towns(district: str) -> list[str]:
    with TOWNS_FILE.open(encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f) if row["district_adcode"] == district]


def _points(area: Area, n: int, seed: int) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT (ST_Dump(ST_GeneratePoints(boundary, %s, %s)))"
            ".geom AS g FROM stations_area WHERE id = %s) p",
            [n, abs(seed) + 1, area.pk],  # PostGIS wants a positive seed
        )
        return cursor.fetchall()


def load(seed: int, anchor: datetime) -> dict[str, int]:
    rng = random.Random(f"{seed}:outreach")
    areas = {a.adcode: a for a in Area.objects.filter(adcode__in=[YUECHENG, XIUZHOU, WUYI])}
    counts = {"enterprises": 0, "visits": 0, "reception days": 0, "pairings": 0}
    if YUECHENG in areas:
        _yuecheng(rng, seed, areas[YUECHENG], anchor, counts)
    if XIUZHOU in areas:
        _xiuzhou(counts)
    if WUYI in areas:
        _wuyi(rng, seed, areas[WUYI], anchor, counts)
    return counts


def _yuecheng(rng, seed, area: Area, anchor: datetime, counts: dict) -> None:
    union = Union.objects.get(area=area)
    VisitTarget.objects.update_or_create(union=union, defaults={"weekly_visits": WEEKLY_TARGET})
    User = get_user_model()
    password = make_password("waystation-demo")
    users = User.objects.bulk_create(
        User(username=f"demo-{YUECHENG}-{n:02d}", password=password, is_staff=True,
             first_name=f"走访员{n:02d}", last_name="演示 demo")
        for n in range(1, STAFF + 1)
    )
    users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
    StaffMember.objects.bulk_create(StaffMember(user=u, union=union, is_demo=True) for u in users)

    streets = _towns(YUECHENG)
    points = _points(area, KEY_ENTERPRISES, seed)
    enterprises = []
    for n, (lon, lat) in enumerate(points):
        street = streets[n % len(streets)]  # every street gets 5 or 6 of the 87
        name = f"绍兴{street.removesuffix('街道').removesuffix('镇')}{SUFFIXES[n % len(SUFFIXES)]}"
        enterprises.append(Enterprise(
            name=f"{name}{n + 1:02d}", credit_code=credit_code(rng, YUECHENG),
            location=f"SRID=4326;POINT({lon} {lat})", area=area, street=street,
            address=f"绍兴市越城区{street}", industry=INDUSTRIES[n % len(INDUSTRIES)],
            is_key=True, owner=users[n % STAFF], is_demo=True,
        ))
    enterprises = Enterprise.objects.bulk_create(enterprises)
    counts["enterprises"] += len(enterprises)

    # One visit per issue, on the day the issue was raised, then visits that raised none.
    # The spec's batch of 925 (its ids come first; larger scales add background visit cases).
    issues = list(
        Case.objects.filter(is_demo=True, area=area, channel=Channel.VISIT)
        .order_by("id").values_list("id", "created_at")[:ISSUES]
    )
    first_day = timezone.localtime(anchor).date() - timedelta(days=364)
    last_day = timezone.localtime(anchor).date() - timedelta(days=1)
    days = [timezone.localtime(created).date() for _, created in issues]
    days += [first_day + timedelta(days=rng.randrange((last_day - first_day).days + 1))
             for _ in range(VISITS - len(issues))]
    visits = []
    for day in days:
        enterprise = rng.choice(enterprises)
        visits.append(Visit(
            enterprise=enterprise, visited_on=day, staff_id=enterprise.owner_id,
            workers_met=rng.randint(2, 15), findings="走访了解职工诉求 talked with workers",
            is_demo=True,
        ))
    visits = Visit.objects.bulk_create(visits)
    VisitIssue.objects.bulk_create(
        VisitIssue(visit=visit, case_id=case_id, is_demo=True)
        for visit, (case_id, _) in zip(visits, issues, strict=False)
    )
    counts["visits"] += len(visits)


def _xiuzhou(counts: dict) -> None:
    station = Facility.objects.filter(is_demo=True, name=WANGDIAN_STATION).first()
    if station is not None:
        ReceptionSession.objects.create(
            facility=station, repeat=Repeat.WEEKLY, weekday=2, starts=time(9), ends=time(11, 30),
            host_name="王店镇镇长", host_role=HostRole.TOWN_HEAD,
            note="镇长接待日 town head's reception day", is_demo=True,
        )
        counts["reception days"] += 1
    town_stations = Facility.objects.filter(
        is_demo=True, area__adcode=XIUZHOU, name__endswith="总工会户外劳动者驿站"
    )
    pairings = [
        Pairing(facility=f, official_name=f"{f.name.removesuffix('户外劳动者驿站')}主席",
                role=HostRole.UNION_CHAIR, is_demo=True)
        for f in town_stations
    ]
    Pairing.objects.bulk_create(pairings)
    counts["pairings"] += len(pairings)


def _wuyi(rng, seed, area: Area, anchor: datetime, counts: dict) -> None:
    county = Union.objects.select_related("area").get(area=area)
    points = _points(area, len(WUYI_EMPLOYERS), seed)
    employers = []
    for (name, industry), (lon, lat) in zip(WUYI_EMPLOYERS, points, strict=True):
        own = Union.objects.create(parent=county, name=f"{name}工会", is_demo=True)
        employers.append(Enterprise.objects.create(
            name=name, credit_code=credit_code(rng, WUYI), location=f"SRID=4326;POINT({lon} {lat})",
            street="", industry=industry, is_key=True, union=own, is_demo=True,
        ))
    counts["enterprises"] += len(employers)
    for n in range(WUYI_EMPLOYER_CASES):
        enterprise = employers[n % len(employers)]
        union = Union.objects.select_related("parent__area").get(pk=enterprise.union_id)
        received = anchor - timedelta(days=3 * n + 1, hours=rng.randrange(8, 20))
        case, _ = submit(
            received_at=received,
            category=rng.choice([Category.WAGE_ARREARS, Category.LABOUR_CONTRACT,
                                 Category.PLATFORM_RULES]),
            description="向本单位工会反映 raised with the employer's own union",
            channel=Channel.ONLINE,
            employer=Employer(enterprise.credit_code, enterprise.name, union),
        )
        # Same seed, same data (tests/demo/test_same_seed.py): only the token is drawn by intake.
        Case.objects.filter(pk=case.pk).update(
            is_demo=True, tracking_token=f"demo{rng.getrandbits(128):032x}"
        )


def remove_rows() -> None:
    """Everything outreach added, before demo.load removes cases, facilities and accounts."""
    SessionCase.objects.filter(is_demo=True).delete()
    VisitIssue.objects.filter(is_demo=True).delete()
    Visit.objects.filter(is_demo=True).delete()
    ReceptionSession.objects.filter(is_demo=True).delete()
    Pairing.objects.filter(is_demo=True).delete()
    Enterprise.objects.filter(is_demo=True).delete()
    VisitTarget.objects.filter(union__is_demo=True).delete()


def remove_unions() -> None:
    """Demo workplace unions, once the demo cases assigned to them are gone."""
    Union.objects.filter(is_demo=True, parent__isnull=False).delete()
