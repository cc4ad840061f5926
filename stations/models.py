"""The geographic base: administrative areas, the unions responsible for them, and facilities.

Geometry, not geography: every geometry is stored as SRID 4326 geometry so that one GiST index
serves bbox filters, point-in-polygon and KNN (`<->`). Distances in metres are computed on the
ellipsoid from the candidates that the index returns (see `stations.nearest`), never by casting the
column to geography in a WHERE or ORDER BY clause, which would defeat the index.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Point
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stations.fields import MinuteSetField

# ESRI:102025, Asia North Albers Equal Area Conic (ships in PostGIS's spatial_ref_sys): metres,
# equal-area over all of China, so grid cells of the gap analysis cover the same ground everywhere.
EQUAL_AREA_SRID = 102025


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")


class AreaQuerySet(models.QuerySet):
    def containing(self, point: Point) -> AreaQuerySet:
        """Areas whose boundary covers the point, smallest (deepest) first.

        Tested against the subdivided pieces: each has at most a few hundred vertices, so the
        GiST index narrows to a handful of small polygons instead of whole provinces.
        """
        if point.srid not in (None, 4326):
            point = point.transform(4326, clone=True)
        # Plain coordinates instead of an adapted GEOS geometry: this runs on every intake and
        # lookup, and building the GIS lookup cost more than the query itself (bench/areas.py).
        piece_area_ids = RawSQL(
            "SELECT area_id FROM stations_areapiece"
            " WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
            (point.x, point.y),
        )
        return self.filter(pk__in=piece_area_ids).order_by("-depth", "adcode")

    def descendants_of(self, area: Area, include_self: bool = True) -> AreaQuerySet:
        qs = self.filter(path__startswith=area.path)
        return qs if include_self else qs.exclude(pk=area.pk)

    def rebuild_paths(self) -> None:
        """Recompute `path` and `depth` of every area from the parent links, in one statement."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH RECURSIVE tree AS (
                    SELECT id, adcode::text || '/' AS path, 0 AS depth
                    FROM stations_area WHERE parent_id IS NULL
                    UNION ALL
                    SELECT a.id, tree.path || a.adcode || '/', tree.depth + 1
                    FROM stations_area a JOIN tree ON a.parent_id = tree.id
                )
                UPDATE stations_area a SET path = tree.path, depth = tree.depth
                FROM tree WHERE a.id = tree.id
                  AND (a.path IS DISTINCT FROM tree.path OR a.depth IS DISTINCT FROM tree.depth)
                """
            )

    def rebuild_pieces(self) -> None:
        """Replace the subdivided pieces of these areas from their boundaries.

        256 vertices a piece: the point-in-polygon test then touches a handful of small polygons
        (measured in bench/areas.py) instead of a province's tens of thousands of vertices.
        """
        ids = list(self.values_list("id", flat=True))
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM stations_areapiece WHERE area_id = ANY(%s)", [ids])
            cursor.execute(
                """
                INSERT INTO stations_areapiece (area_id, geom)
                SELECT id, ST_Subdivide(boundary, 256) FROM stations_area WHERE id = ANY(%s)
                """,
                [ids],
            )


class Area(models.Model):
    adcode = models.CharField(_("adcode"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent area"),
    )
    # Materialised ancestry, e.g. "330000/330400/330411/": descendants are a prefix match and
    # ancestors are read without a recursive query. Maintained by `stations.area_import`.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            # prefix (LIKE 'x%') scans for descendants_of
            models.Index(
                fields=["path"], name="stations_area_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.adcode})"

    @property
    def display_name(self) -> str:
        """The name for the page's language: English pages show `name_en` where there is one.
        Names are data, never msgids in the catalogue."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def ancestor_adcodes(self) -> list[str]:
        """This area's adcode and its ancestors', nearest first."""
        return [code for code in self.path.split("/") if code][::-1]

    def responsible_union(self) -> Union | None:
        """The area's own union, else the nearest ancestor's (town -> district -> city -> ...)."""
        codes = self.ancestor_adcodes or [self.adcode]
        return (
            Union.objects.filter(area__adcode__in=codes)
            .select_related("area")
            .order_by("-area__depth")
            .first()
        )


class AreaPiece(models.Model):
    """A piece of an area's boundary from ST_Subdivide, for fast point-in-polygon."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="pieces")
    geom = models.PolygonField(srid=4326)

    class Meta:
        verbose_name = _("boundary piece")


class Union(models.Model):
    """A trade union (工会) responsible for one area; cases there are routed to it.

    Or a workplace union (单位工会) of one employer: no area of its own, it sits under the union
    of the area it works in (`parent`). Location routing never picks it (it joins on the area);
    employer routing (outreach) sends the employer's workers' cases to it first, and escalation
    from it goes to `parent` (cases.models.Case.union_above).
    """

    area = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="union", null=True, blank=True,
        verbose_name=_("area"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="workplace_unions",
        verbose_name=_("parent union"),
        help_text=_("For a workplace union: the union of the area it works in."),
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["area__path"]
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        constraints = [
            # An area's union or a workplace union under one, never both or neither: routing,
            # receipts and jurisdictions rely on `home_area` always existing.
            models.CheckConstraint(
                condition=Q(area__isnull=False, parent__isnull=True)
                | Q(area__isnull=True, parent__isnull=False),
                name="union_area_or_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_workplace(self) -> bool:
        return self.area_id is None

    @property
    def home_area(self) -> Area:
        """The area a union works in: its own, or for a workplace union its parent's."""
        return self.area if self.area_id is not None else self.parent.area

    def clean(self) -> None:
        if self.parent_id is not None and self.parent.parent_id is not None:
            raise ValidationError({"parent": _("A workplace union sits under an area's union.")})


class FacilityKind(models.TextChoices):
    REST_STATION = "rest_station", _("Rest station")
    CANTEEN = "canteen", _("Canteen")
    CHARGING_POINT = "charging_point", _("Charging point")


class FacilityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")
    PLANNED = "planned", _("Planned")


# Open, or closed only for now (listed as not open); never planned or permanently closed ones.
IN_SERVICE_STATUSES = (FacilityStatus.OPEN, FacilityStatus.TEMPORARILY_CLOSED)


class Amenity(models.TextChoices):
    DRINKING_WATER = "drinking_water", _("Drinking water")
    MICROWAVE = "microwave", _("Microwave")
    PHONE_CHARGING = "phone_charging", _("Phone charging")
    TOILET = "toilet", _("Toilet")
    SEATING = "seating", _("Seating")
    HEATING = "heating", _("Heating")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")
    FIRST_AID = "first_aid", _("First aid")
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    WIFI = "wifi", _("Wi-Fi")
    REPAIR_TOOLS = "repair_tools", _("Repair tools")
    LOCKERS = "lockers", _("Lockers")


class FacilityQuerySet(models.QuerySet):
    def open_at(self, moment: datetime) -> FacilityQuerySet:
        """Facilities with status open whose weekly hours include `moment`."""
        from stations.hours import minute_of_week

        minute = minute_of_week(moment)
        return self.filter(status=FacilityStatus.OPEN).filter(
            Q(open_24h=True) | Q(open_minutes__has_minute=minute)
        )

    def with_amenities(self, amenities: list[str]) -> FacilityQuerySet:
        """Facilities offering every one of `amenities`."""
        return self.filter(amenities__contains=list(amenities)) if amenities else self

    def in_area(self, area: Area) -> FacilityQuerySet:
        return self.filter(area__path__startswith=area.path)

    def in_service(self) -> FacilityQuerySet:
        """Facilities a rider may be sent to (the default of `nearest`)."""
        return self.filter(status__in=IN_SERVICE_STATUSES)

    def nearest(
        self, point: Point | tuple[float, float], k: int = 5, radius: float | None = None, **filters
    ) -> list[dict]:
        """The k facilities nearest to `point`, exactly by ellipsoidal metres, nearest first, as
        rows (dicts) with `distance_m`; within `radius` metres if given.

        Filters are keyword arguments (`kind`, `amenities`, `open_only`, `at`, `statuses`; see
        `stations.nearest.nearest`), not chained `.filter()` calls: the statement is written by
        hand because compiling it through the ORM cost more than running it.
        """
        from stations.nearest import nearest

        if self.query.has_filters():
            raise TypeError("nearest() takes its filters as arguments, not from .filter()")
        return nearest(point, k, radius, using=self.db, **filters)

    def assign_areas(self) -> int:
        """Set each facility's `area` to the smallest area containing it, in one UPDATE.

        For rows written without `save()` (the importer's bulk upsert, COPY loads) and for
        re-running after areas change. Returns the number of rows updated.
        """
        smallest = (
            Area.objects.filter(pieces__geom__covers=OuterRef("location"))
            .order_by("-depth", "adcode")
            .values("pk")[:1]
        )
        return self.update(area=Subquery(smallest))


class Facility(models.Model):
    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("Key for upserts from import files."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Indexed by the named GiST index in Meta (not the field's anonymous one) so plans and
    # benchmarks can name it.
    location = models.PointField(_("location"), srid=4326, spatial_index=False)
    # Kept by PostgreSQL, so COPY-loaded rows get it too; used by grid aggregation in maps.gaps.
    location_ea = models.GeneratedField(
        expression=Transform("location", EQUAL_AREA_SRID),
        output_field=models.PointField(srid=EQUAL_AREA_SRID, spatial_index=False),
        db_persist=True,
    )
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilities",
        verbose_name=_("area"), help_text=_("Smallest area containing the location; set on save."),
    )
    operator = models.ForeignKey(
        Union, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilities",
        verbose_name=_("operating union"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FacilityStatus.choices, default=FacilityStatus.OPEN
    )
    amenities = ArrayField(
        models.CharField(max_length=32, choices=Amenity.choices), default=list, blank=True,
        verbose_name=_("amenities"),
    )
    # Opening hours as written (see stations.hours for the grammar), and the same as a set of
    # minutes of the week for SQL. `open_24h` short-cuts the common round-the-clock case.
    opening_hours = models.CharField(_("opening hours"), max_length=255, default="24/7")
    open_24h = models.BooleanField(default=True, editable=False)
    open_minutes = MinuteSetField(null=True, blank=True, editable=False)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    meal_price_min = models.DecimalField(
        _("lowest meal price (yuan)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    meal_price_max = models.DecimalField(
        _("highest meal price (yuan)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    sockets = models.IntegerField(_("sockets"), null=True, blank=True)
    battery_swap = models.BooleanField(_("battery-swap cabinet"), default=False)
    charging_price = models.DecimalField(
        _("charging price (yuan per charge)"), max_digits=6, decimal_places=2,
        null=True, blank=True,
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [
            # KNN (`ORDER BY location <-> pt`) and bbox filters: stations.nearest, list `bbox`.
            GistIndex(fields=["location"], name="stations_facility_location"),
            # amenity filters (`amenities @> ARRAY[...]`) in list and nearest queries
            GinIndex(fields=["amenities"], name="stations_facility_amenities"),
            models.Index(fields=["kind", "status"], name="stations_facility_kind_status"),
            # KNN from grid cells in maps.gaps
            GistIndex(fields=["location_ea"], name="stations_facility_location_ea"),
        ]
        constraints = [
            # Relied on by the importer and the API serializer, which report these as field errors.
            models.CheckConstraint(
                condition=Q(meal_price_min__isnull=True)
                | Q(meal_price_max__isnull=True)
                | Q(meal_price_min__lte=models.F("meal_price_max")),
                name="facility_meal_price_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(meal_price_min__isnull=True, meal_price_max__isnull=True)
                | Q(kind=FacilityKind.CANTEEN),
                name="facility_meal_price_only_canteen",
            ),
            models.CheckConstraint(
                condition=Q(sockets__isnull=True) | Q(kind=FacilityKind.CHARGING_POINT),
                name="facility_sockets_only_charging_point",
            ),
            models.CheckConstraint(
                condition=Q(sockets__isnull=True) | Q(sockets__gte=0),
                name="facility_sockets_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(battery_swap=False) | Q(kind=FacilityKind.CHARGING_POINT),
                name="facility_battery_swap_only_charging_point",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from stations.hours import HoursError, parse_hours

        errors = {}
        try:
            parse_hours(self.opening_hours)
        except HoursError as exc:
            errors["opening_hours"] = str(exc)
        if self.kind != FacilityKind.CANTEEN and (
            self.meal_price_min is not None or self.meal_price_max is not None
        ):
            errors["meal_price_min"] = _("Only canteens have meal prices.")
        if (
            self.meal_price_min is not None
            and self.meal_price_max is not None
            and self.meal_price_min > self.meal_price_max
        ):
            errors["meal_price_max"] = _("Must not be below the minimum price.")
        if self.kind != FacilityKind.CHARGING_POINT and (self.sockets is not None or self.battery_swap):
            errors["sockets"] = _("Only charging points have sockets or battery swapping.")
        if self.sockets is not None and self.sockets < 0:
            errors["sockets"] = _("Must be zero or more.")
        if errors:
            raise ValidationError(errors)

    def apply_hours(self) -> None:
        """Normalise `opening_hours` and derive `open_24h` / `open_minutes` from it.

        Called by save(); bulk writers (the importer) call it themselves. Raises HoursError.
        """
        from stations.hours import parse_hours

        hours = parse_hours(self.opening_hours)
        self.opening_hours = hours.text
        self.open_24h = hours.always_open
        self.open_minutes = None if hours.always_open else hours.minute_ranges

    def save(self, *args, **kwargs):
        self.apply_hours()
        if self.location is not None:
            self.area = Area.objects.containing(self.location).first()
        super().save(*args, **kwargs)

    def is_open_at(self, moment: datetime) -> bool:
        from stations.hours import parse_hours

        if self.status != FacilityStatus.OPEN:
            return False
        return parse_hours(self.opening_hours).is_open_at(moment)


class CheckIn(models.Model):
    """"I am here": a rider confirms the place is there and open. Anonymous.

    `device_key` is an HMAC of the device's random id (kept in the browser), the facility and the
    clock hour, under the service's secret: it lets the unique rule below count one check-in per
    device, facility and hour, yet two keys of different hours or places cannot be linked to one
    device, and the id itself is never stored. No address, no account, nothing personal.
    """

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="checkins")
    hour = models.DateTimeField(help_text=_("The clock hour of the check-in (dedupe window)."))
    device_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            # stations.checkins catches this by name: a repeat within the hour counts once.
            models.UniqueConstraint(
                fields=["facility", "hour", "device_key"], name="checkin_once_per_device_hour"
            ),
        ]
        indexes = [
            # checkins_today and last_confirmed_at of one facility (detail API, /s/{id}/)
            models.Index(fields=["facility", "-created_at"], name="stations_checkin_recent"),
        ]
