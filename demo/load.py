"""Load and remove the demo data set (the core of `manage.py load_demo`).

Everything happens in one transaction under an advisory lock: an error leaves the database as it
was, and two `make run`s started together do not both load. What is loaded is recorded in
`DemoLoad`, so loading the same seed and scale again is one query (make run does it every time).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Case, CaseEvent, StaffMember
from demo import generate, names
from demo.bulk import (
    bulk_load_mode,
    copy_model_lines,
    copy_model_rows,
    next_values,
    reserve_ids,
)
from demo.models import DemoLoad
from demo.places import covered, district_sizes, urban_cores
from demo.spec import (
    BACKGROUND_KINDS,
    DEMO_GROUP,
    DEMO_PASSWORD,
    OTHER_DISTRICT,
    SCALES,
    SEED_DISTRICTS,
    UNION_PHONE,
    URBAN_DISTRICT_WEIGHT,
    USERNAME_PREFIX,
    WANGDIAN_CLEAR_M,
    WANGDIAN_SEAT,
    CaseBatch,
    DistrictSpec,
    FacilityBatch,
)
from outreach import demo as outreach_demo
from stations.models import Area, AreaLevel, Facility, FacilityKind, Union

AREAS_FILE = settings.BASE_DIR / "fixtures" / "areas.geojson"
# Background cases are generated in batches of at most this many, to bound memory at national scale.
CASE_BATCH = 20_000
# What a demo staff account may do in the admin back office.
STAFF_PERMISSIONS = (
    "cases.view_case", "cases.change_case", "cases.view_caseevent", "cases.view_staffmember",
    "stations.view_area", "stations.view_union", "stations.view_facility",
    "stations.add_facility", "stations.change_facility",
    "cases.view_department", "cases.add_department", "cases.change_department",
)

Log = Callable[[str], None]


class DemoInUse(Exception):
    """Non-demo rows refer to demo rows, so removing the demo would change or break them."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    seed: int
    scale: str
    already_loaded: bool = False
    replaced: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    staff: list[tuple[str, str]] = field(default_factory=list)  # (username, union name)
    seconds: float = 0.0


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('waystation.load_demo'))")


def demo_users() -> models.QuerySet:
    return get_user_model().objects.filter(
        username__startswith=USERNAME_PREFIX, staff_member__is_demo=True
    )


def ensure_areas() -> None:
    """The demo needs the real areas; import the fixture if there are none at all."""
    if not Area.objects.exists():
        from stations.area_import import import_areas

        import_areas(AREAS_FILE, commit=True)


def default_anchor() -> datetime:
    """Start of today, local time: case dates count back from it, so a re-run the same day
    gives the same data."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


# --- removing --------------------------------------------------------------------------------

def _demo_rows() -> list[tuple[type[models.Model], models.QuerySet, bool]]:
    # (model, its demo rows, deleted with raw SQL): the big tables skip Django's collector, which
    # would load a million rows into Python; so for them every reference is checked, not only
    # the ones Django would refuse or null.
    return [
        (Case, Case.objects.filter(is_demo=True), True),
        (Facility, Facility.objects.filter(is_demo=True), True),
        (get_user_model(), demo_users(), False),
        (Union, Union.objects.filter(is_demo=True), False),
    ]


def _not_removed(qs: models.QuerySet) -> models.QuerySet:
    """Rows of qs that removing the demo does not remove itself."""
    if qs.model is CaseEvent:
        return qs.exclude(case__is_demo=True)
    if qs.model is get_user_model():
        return qs.exclude(pk__in=demo_users())
    if any(f.name == "is_demo" for f in qs.model._meta.concrete_fields):
        return qs.exclude(is_demo=True)
    return qs


def demo_dependents() -> list[str]:
    """Non-demo rows that refer to demo rows (a real case routed to a demo union, ...)."""
    problems = []
    for model, demo_qs, raw in _demo_rows():
        for rel in model._meta.related_objects:
            if rel.many_to_many or (not raw and rel.on_delete is models.CASCADE):
                continue  # owned by the demo row: Django deletes it along with it
            if rel.related_model is CaseEvent and rel.field.name == "case":
                continue  # events of demo cases are demo events
            related = rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": demo_qs})
            count = _not_removed(related).count()
            if count:
                problems.append(
                    f"{count} {rel.related_model._meta.label} rows refer to demo "
                    f"{model._meta.label} rows through {rel.field.name}"
                )
    return problems


def remove_demo() -> dict[str, int]:
    """Delete every demo row, and only those. Refuses (DemoInUse) if real rows depend on them."""
    with transaction.atomic():
        _lock()
        problems = demo_dependents()
        if problems:
            raise DemoInUse(problems)
        counts = {}
        # Outreach's rows refer to cases, facilities and accounts: they go first.
        outreach_demo.remove_rows()
        with connection.cursor() as cursor:
            # Case events are append-only (cases/migrations/0002); demo ones may go, in this
            # transaction only.
            cursor.execute("SET LOCAL waystation.purge_demo = 'on'")
            cursor.execute(
                "DELETE FROM cases_caseevent WHERE case_id IN "
                "(SELECT id FROM cases_case WHERE is_demo)"
            )
            counts["case events"] = cursor.rowcount
            cursor.execute("SET LOCAL waystation.purge_demo = 'off'")
            cursor.execute("DELETE FROM cases_case WHERE is_demo")
            counts["cases"] = cursor.rowcount
            cursor.execute("DELETE FROM stations_facility WHERE is_demo")
            counts["facilities"] = cursor.rowcount
        user_ids = list(demo_users().values_list("pk", flat=True))
        counts["staff accounts"] = len(user_ids)
        # Django's collector takes their staff links and admin log entries along.
        get_user_model().objects.filter(pk__in=user_ids).delete()
        StaffMember.objects.filter(is_demo=True).delete()
        outreach_demo.remove_unions()  # workplace unions, under the area unions deleted next
        counts["unions"], _ = Union.objects.filter(is_demo=True).delete()
        Group.objects.filter(name=DEMO_GROUP).delete()
        DemoLoad.objects.all().delete()
    return counts


def has_demo_rows() -> bool:
    return (
        DemoLoad.objects.exists()
        or Union.objects.filter(is_demo=True).exists()
        or Facility.objects.filter(is_demo=True).exists()
        or Case.objects.filter(is_demo=True).exists()
    )


# --- loading ---------------------------------------------------------------------------------

def load_demo(
    seed: int = 1, scale: str = "small", *, anchor: datetime | None = None, log: Log | None = None
) -> LoadReport:
    """Load the demo data set for (seed, scale), replacing another one; a no-op if it is loaded."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    log = log or (lambda message: None)
    report = LoadReport(seed, scale)
    started = time.monotonic()
    with transaction.atomic():
        _lock()
        current = DemoLoad.objects.first()
        if current and current.seed == seed and current.scale == scale:
            report.already_loaded = True
            report.counts = current.counts
            report.staff = _staff_list()
            return report
        if current or has_demo_rows():
            report.replaced = str(current or "demo rows without a record")
            log(f"removing {report.replaced}")
            remove_demo()
        ensure_areas()
        anchor = anchor or default_anchor()
        offices, districts = _unions_and_staff(seed)
        log(f"{len(offices)} unions with a demo staff account each ({_since(started)})")
        plans = plan_districts(seed, scale, districts)
        # The larger scales load millions of rows: foreign keys and indexes are dropped and
        # built once at the end. Not for the small demo, which make run loads next to a
        # live server, and which is quick anyway.
        bulk = bulk_load_mode if SCALES[scale].facilities else _no_bulk_mode
        with bulk(Facility):
            report.counts["facilities"] = _load_facilities(seed, plans, anchor)
        # Fresh statistics for the queries that follow (PostgreSQL's advice after a bulk load).
        _analyze(Facility)
        log(f"{report.counts['facilities']} facilities ({_since(started)})")
        with bulk(Case, CaseEvent):
            report.counts["cases"], report.counts["case events"] = _load_cases(seed, plans, anchor)
        _analyze(Case, CaseEvent)  # for whoever queries right after loading (benchmarks)
        log(f"{report.counts['cases']} cases, {report.counts['case events']} events ({_since(started)})")
        report.counts.update(outreach_demo.load(seed, anchor))
        report.counts["unions"] = Union.objects.filter(is_demo=True).count()
        DemoLoad.objects.create(id=1, seed=seed, scale=scale, anchor=anchor, counts=report.counts)
        report.staff = _staff_list()
    report.seconds = time.monotonic() - started
    return report


def _analyze(*models_: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _staff_list() -> list[tuple[str, str]]:
    return list(
        StaffMember.objects.filter(is_demo=True)
        .order_by("union__area__path")
        .values_list("user__username", "union__name")
    )


def _address_prefix(area: Area, names_by_code: dict[str, str]) -> str:
    parts: list[str] = []
    for code in reversed(area.ancestor_adcodes or [area.adcode]):
        name = names_by_code.get(code, "")
        if name and name not in parts:
            parts.append(name)
    return "".join(parts)


def _unions_and_staff(seed: int) -> tuple[dict[int, generate.Office], list[generate.District]]:
    """A union for every province, city and district without one, each with a staff account."""
    areas = list(
        Area.objects.filter(level__in=[AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.DISTRICT])
    )
    names_by_code = {a.adcode: a.name for a in areas}
    taken = set(Union.objects.values_list("area_id", flat=True))
    new_unions = []
    for area in areas:
        if area.pk in taken:
            continue  # a real union: leave it, demo cases there are routed to it
        rng = random.Random(f"{seed}:{area.adcode}:union")
        new_unions.append(Union(
            area=area,
            name=f"{area.name}总工会",
            name_en=f"{area.name_en} Federation of Trade Unions" if area.name_en else "",
            phone=UNION_PHONE,
            address=names.street_address(rng, _address_prefix(area, names_by_code)),
            is_demo=True,
        ))
    Union.objects.bulk_create(new_unions)

    User = get_user_model()
    # One hash for all: the password hasher takes about a second per call by design.
    password = make_password(DEMO_PASSWORD)
    existing = set(
        User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True)
    )
    users = [
        User(
            username=f"{USERNAME_PREFIX}{union.area.adcode}", password=password, is_staff=True,
            first_name=union.name[:150], last_name="演示 demo",
        )
        for union in new_unions
        if f"{USERNAME_PREFIX}{union.area.adcode}" not in existing
    ]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__in=[u.username for u in users]))
    user_by_code = {u.username.removeprefix(USERNAME_PREFIX): u for u in users}
    group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    group.permissions.set(_permissions())
    group.user_set.add(*users)
    StaffMember.objects.bulk_create(
        StaffMember(user=user_by_code[u.area.adcode], union=u, is_demo=True)
        for u in new_unions if u.area.adcode in user_by_code
    )

    offices = {}
    for union in Union.objects.select_related("area"):
        # A real union's cases are handled by nobody in the demo (events labelled "system").
        user = user_by_code.get(union.area.adcode) if union.is_demo else None
        offices[union.area_id] = generate.Office(
            union.pk, union.name, getattr(user, "pk", None), getattr(user, "username", "")
        )
    by_code = {a.adcode: a for a in areas}
    district_areas = [a for a in areas if a.level == AreaLevel.DISTRICT]
    cores = urban_cores([a.pk for a in district_areas])
    nobody = generate.Office(None, "", None)
    districts = []
    for area in sorted(district_areas, key=lambda a: a.adcode):
        ancestors = [by_code[c] for c in area.ancestor_adcodes[1:] if c in by_code]
        parent_office = next((offices[a.pk] for a in ancestors if a.pk in offices), nobody)
        districts.append(generate.District(
            area.pk, area.adcode, area.name, _address_prefix(area, names_by_code),
            cores[area.pk], offices.get(area.pk, nobody), parent_office,
        ))
    return offices, districts


def _permissions() -> models.QuerySet:
    query = Q(pk__in=[])
    for perm in STAFF_PERMISSIONS:
        app, codename = perm.split(".")
        query |= Q(content_type__app_label=app, codename=codename)
    return Permission.objects.filter(query)


@dataclass
class DistrictPlan:
    district: generate.District
    spec: DistrictSpec
    background_facilities: list[FacilityBatch] = field(default_factory=list)
    background_cases: list[CaseBatch] = field(default_factory=list)


def _shares(total: int, weights: dict) -> dict:
    """Split total into integers proportional to weights (largest remainder), deterministically."""
    if total <= 0 or not weights:
        return dict.fromkeys(weights, 0)
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    result = {k: int(v) for k, v in exact.items()}
    left = total - sum(result.values())
    for k in sorted(exact, key=lambda k: (result[k] - exact[k], str(k)))[:left]:
        result[k] += 1
    return result


def plan_districts(seed: int, scale: str, districts: list[generate.District]) -> list[DistrictPlan]:
    plans = [DistrictPlan(d, SEED_DISTRICTS.get(d.adcode, OTHER_DISTRICT)) for d in districts]
    for plan in plans:  # a fixed place must be inside its district, or the figures are wrong
        fixed = [seat for batch in plan.spec.facilities for _, seat in batch.towns]
        if not all(covered(plan.district.area_id, fixed)):
            raise ValueError(f"a town seat of {plan.district.name} is outside its boundary")
    target = SCALES[scale]
    if target.facilities is None:
        return plans
    sizes = district_sizes([d.area_id for d in districts])
    weights = {
        p.district.adcode: sizes[p.district.area_id]
        * (URBAN_DISTRICT_WEIGHT if p.district.name.endswith("区") else 1.0)
        for p in plans
    }
    own_facilities = sum(b.count for p in plans for b in p.spec.facilities)
    own_cases = sum(b.count for p in plans for b in p.spec.cases)
    facilities = _shares(target.facilities - own_facilities, weights)
    cases = _shares(target.cases - own_cases, weights)
    for plan in plans:
        code = plan.district.adcode
        for kind, count in _shares(facilities[code], BACKGROUND_KINDS).items():
            # Keep 王店镇 the charging gap of the demo at every scale.
            wangdian = code == "330411" and kind == FacilityKind.CHARGING_POINT
            avoid = (WANGDIAN_SEAT, WANGDIAN_CLEAR_M) if wangdian else None
            if count:
                plan.background_facilities.append(
                    FacilityBatch(kind, count, avoid=avoid, varied_status=True)
                )
        left = cases[code]
        while left > 0:
            plan.background_cases.append(CaseBatch(min(left, CASE_BATCH)))
            left -= CASE_BATCH
    return plans


def _batches(seed: int, plan: DistrictPlan, purpose: str) -> Iterator[tuple[random.Random, object]]:
    """Each batch with its own random stream, so no batch depends on another's draws."""
    code = plan.district.adcode
    for tag, batches in (
        (purpose, getattr(plan.spec, purpose)),
        (f"background-{purpose}", getattr(plan, f"background_{purpose}")),
    ):
        for i, batch in enumerate(batches):
            yield random.Random(f"{seed}:{code}:{tag}:{i}"), batch


def _load_facilities(seed: int, plans: list[DistrictPlan], anchor: datetime) -> int:
    written = 0
    for plan in plans:
        district = plan.district
        # Points and ids first (queries), then one COPY streaming the district's rows.
        prepared = [
            (batch, rng, generate.facility_points(district, batch, rng), reserve_ids(Facility, batch.count))
            for rng, batch in _batches(seed, plan, "facilities")
        ]
        written += copy_model_rows(
            Facility,
            generate.FACILITY_COLUMNS,
            chain.from_iterable(
                generate.facility_rows(district, batch, rng, points, ids, anchor)
                for batch, rng, points, ids in prepared
            ),
        )
    return written


def _load_cases(seed: int, plans: list[DistrictPlan], anchor: datetime) -> tuple[int, int]:
    cases = events = 0
    for plan in plans:
        for rng, batch in _batches(seed, plan, "cases"):
            ids = reserve_ids(Case, batch.count)
            serials = next_values("cases_case_reference_seq", batch.count)
            places = generate.place_cases(plan.district, batch, rng)
            event_lines: list[str] = []
            rows = generate.case_rows(
                plan.district, batch, places, rng, anchor, ids, serials, event_lines
            )
            # Cases stream while they are made; their events follow (foreign keys are checked
            # at commit, or added back after a bulk load).
            cases += copy_model_rows(Case, generate.CASE_COLUMNS, rows)
            events += copy_model_lines(CaseEvent, generate.EVENT_COLUMNS, event_lines)
    return cases, events


@contextmanager
def _no_bulk_mode(*models_: type[models.Model]) -> Iterator[None]:
    yield


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"
