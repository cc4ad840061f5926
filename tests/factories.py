"""Data built in code for tests: tiny hand-made areas and facilities.

Shared by every test package; add new builders at the end rather than changing these.
"""

from __future__ import annotations

import itertools

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from stations.models import Area, AreaLevel, Facility, FacilityKind, Union

_codes = itertools.count(900001)


def square(lon: float, lat: float, size: float) -> MultiPolygon:
    """A square of `size` degrees with its south-west corner at (lon, lat)."""
    ring = (
        (lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


def make_area(
    boundary: MultiPolygon,
    *,
    parent: Area | None = None,
    level: str = AreaLevel.DISTRICT,
    adcode: str | None = None,
    name: str | None = None,
    union: bool | str = False,
) -> Area:
    """An area with its path, depth and point-in-polygon pieces ready, optionally with a union."""
    code = adcode or str(next(_codes))
    area = Area.objects.create(
        adcode=code, name=name or f"测试区{code}", level=level, parent=parent, boundary=boundary
    )
    Area.objects.rebuild_paths()
    Area.objects.filter(pk=area.pk).rebuild_pieces()
    area.refresh_from_db()
    if union:
        Union.objects.create(area=area, name=union if isinstance(union, str) else f"{area.name}总工会")
    return area


def make_facility(lon: float, lat: float, **fields) -> Facility:
    fields.setdefault("kind", FacilityKind.REST_STATION)
    fields.setdefault("name", f"驿站 {lon:.4f},{lat:.4f}")
    return Facility.objects.create(location=Point(lon, lat, srid=4326), **fields)


# --- cases -----------------------------------------------------------------------------------

_case_serials = itertools.count(1)


def make_staff(union: Union | None = None, *, username: str | None = None, **fields):
    """A staff account (password "pw"), working for `union` when one is given."""
    from django.contrib.auth import get_user_model

    from cases.models import StaffMember

    user = get_user_model().objects.create_user(
        username=username or f"staff{next(_codes)}", password="pw", is_staff=True, **fields
    )
    if union is not None:
        StaffMember.objects.create(user=user, union=union)
    return user


def make_case(
    *,
    area: Area | None = None,
    union: Union | None = None,
    location: Point | None = None,
    created_at=None,
    **fields,
):
    """A case written directly, without intake or events: for lists, filters and statistics.

    Deadlines follow the category from `created_at` (default now) unless given.
    """
    import secrets

    from django.utils import timezone

    from cases.models import Case, Category, Channel, deadlines_for

    created_at = created_at or timezone.now()
    category = fields.setdefault("category", Category.OTHER)
    respond_in, resolve_in = deadlines_for(category)
    fields.setdefault("response_due_at", created_at + respond_in)
    fields.setdefault("due_at", created_at + resolve_in)
    fields.setdefault("channel", Channel.ONLINE)
    fields.setdefault("description", "测试诉求 test case")
    serial = next(_case_serials)
    return Case.objects.create(
        reference=f"{area.adcode if area else '000000'}-{created_at.year}-T{serial:05d}",
        area=area,
        assigned_union=union,
        location=location,
        created_at=created_at,
        tracking_token=secrets.token_urlsafe(16),
        **fields,
    )


# --- facilities in bulk (nearest search, importer) -------------------------------------------


def scatter(n: int, lon: float, lat: float, spread_m: float, seed: int) -> list[tuple[float, float]]:
    """n random (lon, lat) points uniform in a square of about 2 x `spread_m` metres."""
    import math
    import random

    rng = random.Random(seed)
    dlat = spread_m / 111_000
    dlon = dlat / math.cos(math.radians(lat))
    return [(lon + rng.uniform(-dlon, dlon), lat + rng.uniform(-dlat, dlat)) for _ in range(n)]


def make_facilities(rows) -> list[Facility]:
    """Facilities from dicts with `lon`, `lat` and any model fields, in one INSERT.

    Hours are derived as save() would; `area` is left empty (call `.assign_areas()` if needed).
    """
    objs = []
    for number, row in enumerate(rows):
        fields = dict(row)
        location = Point(fields.pop("lon"), fields.pop("lat"), srid=4326)
        fields.setdefault("kind", FacilityKind.REST_STATION)
        fields.setdefault("name", f"驿站 {number}")
        facility = Facility(location=location, **fields)
        facility.apply_hours()
        objs.append(facility)
    return Facility.objects.bulk_create(objs)


# --- staff who keep the catalogue --------------------------------------------------------------

FACILITY_PERMISSIONS = ("add_facility", "change_facility", "delete_facility", "view_facility")


def make_facility_staff(union: Union, *, codenames=FACILITY_PERMISSIONS, **fields):
    """A staff account of `union` holding the facility model permissions named."""
    from django.contrib.auth.models import Permission

    user = make_staff(union, **fields)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="stations", codename__in=codenames)
    )
    return user
