"""Workers' cases (诉求): the case, its events, staff members and departments; intake's one-statement
INSERT. The workflow (statuses, actions, transitions, the events they write) is `cases.workflow`,
mixed into `Case`."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Point
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.workflow import (  # noqa: F401 (the vocabulary is re-exported: imported from here)
    OPEN_STATUSES,
    REOPENING_RATING,
    REPORTER,
    SYSTEM,
    TRANSITIONS,
    Action,
    CaseChange,
    CaseWorkflow,
    EventKind,
    NotCaseHolder,
    Status,
    Transition,
    TransitionNotAllowed,
    allowed_actions,
    point_label,
    union_label,
)
from project.prepared import PreparedStatement
from stations.models import EQUAL_AREA_SRID, Area, Facility, Union


class UnionCredential:
    """A machine credential acting for a union (or for nobody), standing in for `request.user`.

    Integrations (an API key on the staff API) authenticate as one of these rather than as a
    person's account: `StaffMember.union_of` answers its union, so `visible_to`, the permissions
    and statistics give it that union's jurisdiction; events it causes name it in `actor_label`
    and leave `actor` empty. Defined here so that cases needs no import from the apps that issue
    such credentials.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    # Never a superuser, nor a planner: a credential's reach is exactly its union's jurisdiction.
    is_superuser = False
    is_staff = False
    pk = id = None

    def __init__(self, union: Union | None, label: str):
        self.union = union
        self.label = label

    def get_username(self) -> str:
        return self.label

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def __str__(self) -> str:
        return self.label


if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | UnionCredential | None
    AnyUser = AbstractBaseUser | AnonymousUser | UnionCredential


class Category(models.TextChoices):
    CHARGING_SHORTAGE = "charging_shortage", _("Shortage of charging points")
    CANTEEN_SHORTAGE = "canteen_shortage", _("Shortage of canteens")
    STATION_SHORTAGE = "station_shortage", _("Shortage of rest stations")
    WAGE_ARREARS = "wage_arrears", _("Wage arrears")
    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
    PLATFORM_RULES = "platform_rules", _("Platform penalties and algorithms")
    SAFETY = "safety", _("Safety")
    TRAVEL_HOME = "travel_home", _("Travel home")
    SKILLS_TRAINING = "skills_training", _("Skills and training")
    # A rider's report about one listed place ("listed as open but closed", "charger broken"):
    # it names the facility, and is routed to the union operating it.
    FACILITY_PROBLEM = "facility_problem", _("Problem with a listed place")
    OTHER = "other", _("Other")


# (time to first response, time to resolution). The unions' own pledge is a reply within a day and
# a result within seven; wage arrears are worked faster because workers cannot wait a week for pay.
CATEGORY_DEADLINES: dict[str, tuple[timedelta, timedelta]] = {
    Category.WAGE_ARREARS: (timedelta(hours=24), timedelta(days=5)),
    Category.SAFETY: (timedelta(hours=12), timedelta(days=3)),
}
DEFAULT_DEADLINES = (timedelta(hours=24), timedelta(days=7))

# Facility-shortage categories, keyed by the facility kind they ask for (used by gap analysis).
SHORTAGE_CATEGORY_FOR_KIND = {
    "charging_point": Category.CHARGING_SHORTAGE,
    "canteen": Category.CANTEEN_SHORTAGE,
    "rest_station": Category.STATION_SHORTAGE,
}


def deadlines_for(category: str) -> tuple[timedelta, timedelta]:
    return CATEGORY_DEADLINES.get(category, DEFAULT_DEADLINES)


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12351 hotline")
    ONLINE = "online", _("Online (WeChat, mini-program, app)")
    STATION = "station", _("Walk-in at a station")
    VISIT = "visit", _("Staff visit")
    RECEPTION_DAY = "reception_day", _("Reception day")
    OPEN311 = "open311", _("Open311")


class LocationSource(models.TextChoices):
    GPS = "gps", _("GPS (WGS84)")
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent, WeChat)")
    BD09 = "bd09", _("BD-09 (Baidu)")
    STAFF_MAP = "staff_map", _("Marked on the map by staff")
    FACILITY = "facility", _("Facility location")
    ADDRESS = "address", _("Address")


def urgency(now: datetime | None = None) -> models.Case:
    """0 overdue, 1 open, 2 finished: the staff queue's first sort key, as an expression (so the
    admin can order any case queryset by it, related-field choices included)."""
    now = now or timezone.now()
    return models.Case(
        models.When(Q(status__in=OPEN_STATUSES, due_at__lt=now), then=models.Value(0)),
        models.When(status__in=OPEN_STATUSES, then=models.Value(1)),
        default=models.Value(2),
        output_field=models.IntegerField(),
    )


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> CaseQuerySet:
        """The cases a staff account may see: its union's area and sub-areas, or assigned to it.

        Superusers see every case; everybody else (the public, accounts without a union) none.
        Every staff route starts from this, so another union's case is simply not found (404).
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        union = StaffMember.union_of(user)
        if union is None:
            return self.none()
        if union.is_workplace:
            # A workplace union (单位工会) has no jurisdiction, only its employer's cases.
            return self.filter(assigned_union=union)
        return self.filter(Q(area__path__startswith=union.area.path) | Q(assigned_union=union))

    def for_statistics(self, user: AnyUser) -> CaseQuerySet:
        """Cases a user's statistics cover: a union's staff its jurisdiction; planners (staff
        accounts without a union) and superusers everything: statistics carry no personal data."""
        if user.is_authenticated and user.is_staff and StaffMember.union_of(user) is None:
            return self
        return self.visible_to(user)

    def with_places(self) -> CaseQuerySet:
        """The area and assigned union joined in for display, without the areas' boundaries
        (thousands of vertices each, and nothing shown with a case needs them)."""
        return self.select_related(
            "area", "assigned_union__area", "assigned_union__parent__area", "assignee"
        ).defer(
            "area__boundary", "assigned_union__area__boundary",
            "assigned_union__parent__area__boundary",
        )

    def in_area(self, area: Area) -> CaseQuerySet:
        """Cases located in `area` or any of its sub-areas (a prefix scan on the area path)."""
        return self.filter(area__path__startswith=area.path)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime | None = None) -> CaseQuerySet:
        """Open cases past their resolution deadline (uses the `cases_case_status_due` index)."""
        return self.open().filter(due_at__lt=now or timezone.now())

    def response_overdue(self, now: datetime | None = None) -> CaseQuerySet:
        """Open cases nobody has answered yet, past their response deadline (the 24 h pledge)."""
        return self.open().filter(responded_at__isnull=True, response_due_at__lt=now or timezone.now())

    def with_urgency(self, now: datetime | None = None) -> CaseQuerySet:
        """`urgency`: 0 overdue, 1 open, 2 finished (the staff queue's first sort key)."""
        return self.annotate(urgency=urgency(now))

    def by_urgency(self, now: datetime | None = None) -> CaseQuerySet:
        """The staff queue: overdue first, then the other open cases, then finished ones; each
        group by deadline, the nearest (or longest missed) first."""
        return self.with_urgency(now).order_by("urgency", "due_at", "id")

    def handled_by(self, user: AnyUser | None) -> CaseQuerySet:
        """Cases whose named handler is `user` (None: cases without one)."""
        if user is None:
            return self.filter(assignee__isnull=True)
        return self.filter(assignee_id=user.pk)

    def insert_with_events(self, case: Case, events: list[CaseEvent]) -> None:
        """INSERT a new case and its first events in one statement; sets `case.pk` and
        completes `case.reference`, which holds its prefix (`330411-2026-`) until the statement
        appends the serial from `cases_case_reference_seq` (at least six digits).

        Intake is the busiest write of the service: numbering, `case.save()` and an INSERT of
        the events cost three round trips and about 1 ms of CPU to compile a 30-column INSERT
        every time (bench/intake.py). The statement is built once per number of events from the
        models' own fields, so it follows the schema; each value still goes through its field's
        `pre_save` and `get_db_prep_save`, as the ORM's INSERT does. Atomic by being one
        statement: a duplicate `client_token` leaves neither the case nor an event behind (only a
        gap in the serials, as sequences never roll back).
        """
        connection = connections[self.db]
        fields = _case_insert_fields()
        values = [f.get_db_prep_save(f.pre_save(case, add=True), connection) for f in fields]
        event_columns = CaseEventQuerySet.APPENDED[1:]  # case_id comes from the new case
        params = values + [getattr(e, column) for e in events for column in event_columns]
        with connection.cursor() as cursor:
            _case_insert_statement(self.db, len(events)).execute(cursor, params)
            case.pk, case.reference = cursor.fetchone()
        case._state.adding, case._state.db = False, self.db
        for event in events:
            event.case_id = case.pk


class Case(CaseWorkflow, models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    description = models.TextField(_("description"), max_length=4000)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    # Equal-area copy kept by PostgreSQL for grid aggregation (maps.gaps, maps heatmap).
    location_ea = models.GeneratedField(
        expression=Transform("location", EQUAL_AREA_SRID),
        output_field=models.PointField(srid=EQUAL_AREA_SRID, null=True, spatial_index=False),
        db_persist=True,
    )
    location_source = models.CharField(
        _("location source"), max_length=20, choices=LocationSource.choices, blank=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
        verbose_name=_("facility"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("area"),
    )
    assigned_union = models.ForeignKey(
        Union, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("assigned union"),
        # cases_case_union_status leads with this column and serves every lookup by union;
        # a second index would only cost every intake an extra index insert.
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # The named handler: a staff account of the assigned union (四有: a named owner per case).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("handler"),
    )
    # The department of the latest transfer; `transferred_to` keeps its name as shown then.
    department = models.ForeignKey(
        "cases.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="cases", verbose_name=_("department"),
    )
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)
    response_due_at = models.DateTimeField(_("respond by"))
    due_at = models.DateTimeField(_("resolve by"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("answer to the worker"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The employer's 统一社会信用代码 when the worker named one (cases.employers): text, not a
    # foreign key, so cases does not depend on the app that keeps enterprises.
    # The database default too: bulk loaders (demo COPY) that predate the column leave it out.
    employer_code = models.CharField(
        _("employer credit code"), max_length=18, blank=True, default="", db_default=""
    )
    reporter_name = models.CharField(_("reporter name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=40, blank=True)
    # The reporter's consent, given at intake, to hear of progress through the union's own SMS or
    # WeChat gateway: only then do webhook events carry their name and phone (notify.payloads).
    notify_me = models.BooleanField(_("Reporter asked to be notified"), default=False)
    tracking_token = models.CharField(max_length=64, editable=False)
    client_token = models.CharField(max_length=100, null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("received at"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["assigned_union", "status"], name="cases_case_union_status"),
            models.Index(fields=["status", "due_at"], name="cases_case_status_due"),
            models.Index(fields=["category", "created_at"], name="cases_case_category_created"),
            GistIndex(fields=["location_ea"], name="cases_case_location_ea"),
            # Newest-first pages of the staff list and the `since` filter and statistics window.
            models.Index(fields=["-created_at"], name="cases_case_created"),
            # Open311's tokens/{token}: the case a tracking token belongs to (open311.views).
            models.Index(fields=["tracking_token"], name="cases_case_tracking_token"),
        ]
        constraints = [
            # Idempotent intake: two concurrent POSTs with one token make one case. cases.intake
            # catches the violation by this name and returns the case that won.
            models.UniqueConstraint(
                fields=["client_token"],
                condition=Q(client_token__isnull=False),
                name="case_client_token_unique",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
            # The vocabularies hold whichever path writes (API, admin, Open311, importers, SQL).
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="case_category_known"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="case_channel_known"
            ),
            # Mirrors `resolve` requiring a note: a resolved case always carries its answer.
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="case_resolved_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_STATUSES and self.due_at < timezone.now()

    @property
    def is_response_overdue(self) -> bool:
        return (
            self.status in OPEN_STATUSES
            and self.responded_at is None
            and self.response_due_at < timezone.now()
        )

    @property
    def can_be_rated(self) -> bool:
        """Resolved (or closed after resolving) and not yet rated since the latest answer."""
        return (
            self.status in (Status.RESOLVED, Status.CLOSED)
            and self.resolved_at is not None
            and (self.rated_at is None or self.rated_at < self.resolved_at)
        )

    def amend(
        self,
        actor: Actor = None,
        *,
        location: Point | None = None,
        location_source: str = LocationSource.STAFF_MAP,
        facility: Facility | None | object = ...,
        category: str | None = None,
        description: str | None = None,
        address: str | None = None,
        actor_label: str = "",
    ) -> None:
        """Attach or correct the location (a point or a facility's), category, description, address.

        `facility=...` leaves the facility alone, `None` unlinks it. A facility given wins over a
        point given with it: it is a surveyed place, the point is wherever the phone was.
        Only what differs is changed, each change with its event; nothing changed, nothing written.
        """
        with transaction.atomic():
            self.refresh_from_db(from_queryset=Case.objects.select_for_update())
            step = CaseChange(self, actor, actor_label, timezone.now())
            if facility is not ... and getattr(facility, "pk", None) != self.facility_id:
                step.record(
                    EventKind.LOCATION, str(self.facility or ""), str(facility or ""),
                    note="facility", public=False,
                )
                self.facility = facility
                if facility is not None:
                    location, location_source = facility.location, LocationSource.FACILITY
            if location is not None and (
                self.location is None or not self.location.equals_exact(location, 1e-9)
            ):
                self._relocate(step, location, location_source)
            if category is not None and category != self.category:
                step.record(EventKind.CATEGORY, self.category, category)
                self.category = category
            if description is not None and description != self.description:
                step.record(
                    EventKind.NOTE, "", "description", note=self.description, public=False
                )
                self.description = description
            if address is not None and address != self.address:
                step.record(EventKind.LOCATION, self.address, address, note="address", public=False)
                self.address = address
            if step.events:
                step.save()

    def _relocate(self, step: CaseChange, point: Point, source: str) -> None:
        from cases.routing import OUTSIDE_COVERAGE, route

        routing = route(point)
        if routing.area is None:
            # As at intake: a case placed where no area is would drop out of every jurisdiction.
            raise ValidationError({"location": [OUTSIDE_COVERAGE]})
        step.record(
            EventKind.LOCATION, point_label(self.location), point_label(point),
            note=f"{source} {routing.area.adcode if routing.area else ''}".strip(), public=False,
        )
        self.location, self.location_source, self.area = point, source, routing.area
        # Routing is part of intake: once a union has taken the case on, moving the pin does not
        # take it away from them; they escalate or transfer explicitly.
        if (
            self.status == Status.RECEIVED
            and routing.union is not None
            and routing.union.pk != self.assigned_union_id
        ):
            step.record(EventKind.ASSIGNMENT, union_label(self.assigned_union), routing.union.name)
            self.assigned_union = routing.union

class CaseEventQuerySet(models.QuerySet):
    # What an event row holds besides its id; `append` writes exactly these.
    APPENDED = [
        "case_id", "kind", "actor_id", "actor_label", "from_value", "to_value", "note", "public",
        "created_at",
    ]

    def append(self, events: list[CaseEvent]) -> None:
        """Write new events with one multi-row INSERT.

        Every intake and transition appends to this log, and bulk_create's generic machinery
        cost 1.3 ms of CPU for two rows where this costs 0.15 ms (bench/intake.py). Nothing else
        is needed: rows are never updated (the trigger refuses it) and no caller reads the ids.
        """
        if not events:
            return
        for event in events:
            event.case_id = event.case.pk  # the case may have been inserted after the event
        placeholders = "(" + ", ".join(["%s"] * len(self.APPENDED)) + ")"
        sql = (
            f"INSERT INTO {self.model._meta.db_table} ({', '.join(self.APPENDED)}) "
            f"VALUES {', '.join([placeholders] * len(events))}"
        )
        params = [getattr(event, column) for event in events for column in self.APPENDED]
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)


class CaseEvent(models.Model):
    """One change to a case. Append-only: a database trigger refuses UPDATE and DELETE."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("staff account"),
    )
    actor_label = models.CharField(
        _("by"), max_length=150, blank=True, help_text=_("e.g. reporter, system")
    )
    from_value = models.CharField(_("previous value"), max_length=255, blank=True)
    to_value = models.CharField(_("new value"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the worker"), default=True)
    created_at = models.DateTimeField(_("time"))

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_value}→{self.to_value}"


# The reference's prefix followed by the next serial, zero-padded to six digits (never cut).
REFERENCE_SERIAL_SQL = (
    "(SELECT %s || lpad(n::text, greatest(6, length(n::text)), '0') "
    "FROM nextval('cases_case_reference_seq') AS n)"
)


def _case_insert_fields() -> list[models.Field]:
    return [
        f for f in Case._meta.concrete_fields if not f.primary_key and not f.generated
    ]


@functools.cache
def _case_insert_statement(using: str, event_count: int) -> PreparedStatement:
    """WITH new_case AS (INSERT ... RETURNING id, reference) INSERT the events ... SELECT id,
    reference FROM new_case. Prepared: planning it cost PostgreSQL about 0.5 ms per intake."""
    connection = connections[using]
    fields = _case_insert_fields()
    event_fields = [
        CaseEvent._meta.get_field(c.removesuffix("_id")) for c in CaseEventQuerySet.APPENDED[1:]
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(
        REFERENCE_SERIAL_SQL if f.name == "reference" else "%s" for f in fields
    )
    sql = (
        f"WITH new_case AS (INSERT INTO {Case._meta.db_table} ({columns}) "
        f"VALUES ({placeholders}) RETURNING id, reference)"
    )
    if event_count:
        row = "(" + ", ".join(["%s"] * len(event_fields)) + ")"
        sql += (
            f", new_events AS (INSERT INTO {CaseEvent._meta.db_table} "
            f"({', '.join(CaseEventQuerySet.APPENDED)}) "
            f"SELECT new_case.id, e.* FROM new_case, (VALUES {', '.join([row] * event_count)}) e)"
        )
    # The parameters' types are declared (a column of NULLs in VALUES would otherwise be text);
    # the reference's is its prefix, text.
    types = ["text" if f.name == "reference" else f.cast_db_type(connection) for f in fields]
    types += [f.cast_db_type(connection) for f in event_fields] * event_count
    return PreparedStatement(sql + " SELECT id, reference FROM new_case", types)


class StaffMember(models.Model):
    """Ties a staff account to the union it works for; it sees that union's area and below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member",
        verbose_name=_("staff account"),
    )
    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, related_name="staff", verbose_name=_("union")
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.union}"

    @classmethod
    def union_of(cls, user: AnyUser) -> Union | None:
        """The union a staff account works for (None if it has none); cached on the user object,
        which lives for one request."""
        if not user.is_authenticated:
            return None
        if isinstance(user, UnionCredential):
            return user.union
        if not hasattr(user, "_cases_union"):
            member = (
                cls.objects.select_related("union__area")
                .defer("union__area__boundary")
                .filter(user_id=user.pk)
                .first()
            )
            user._cases_union = member.union if member is not None else None
        return user._cases_union


class DepartmentQuerySet(models.QuerySet):
    def for_area(self, area: Area) -> DepartmentQuerySet:
        """The departments a union of `area` works with: its own and those of the areas above
        (a district transfers to the city's labour inspectorate as well as to its own)."""
        return self.filter(area__adcode__in=area.ancestor_adcodes or [area.adcode])

    def for_union(self, union: Union | None) -> DepartmentQuerySet:
        return self.for_area(union.home_area) if union is not None else self.none()


class Department(models.Model):
    """A government department a union transfers cases to (人社局, 市场监管局, ...), listed per
    jurisdiction and kept in the admin; Xiamen's union works with 27 of them."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="departments", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            # A transfer names a department by its name within the jurisdiction (cases.models
            # Case._department), so a name is unique per area.
            models.UniqueConstraint(fields=["area", "name"], name="department_name_per_area"),
        ]

    def __str__(self) -> str:
        return self.name


def _photo_path(photo: CasePhoto, filename: str) -> str:
    # A random name: nothing in it says whose case it is, and it cannot be guessed.
    return f"case-photos/{timezone.localtime(photo.created_at):%Y/%m}/{uuid.uuid4().hex}.jpg"


class CasePhoto(models.Model):
    """A photo sent with a case: re-encoded as JPEG, shrunk, metadata stripped (cases.photos).

    Stored through Django's storage API (MEDIA_ROOT, or object storage in a deployment) and never
    served publicly: staff read it through `cases:case-photo`, which checks their jurisdiction.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.case_id} photo {self.pk}"
