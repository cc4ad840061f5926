"""The unions' own routines: enterprises, the visit ledger, reception days, station pairings.

Depends on stations and cases, never the other way: links to cases live here (VisitIssue,
SessionCase), and intake learns about employers only through `cases.employers`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, StaffMember
from outreach.creditcode import normalise, validate_credit_code
from stations.models import Area, Facility, Union


class Industry(models.TextChoices):
    DELIVERY_PLATFORM = "delivery_platform", _("Delivery platform")
    EXPRESS = "express", _("Express delivery")
    RIDE_HAILING = "ride_hailing", _("Ride-hailing")
    FREIGHT = "freight", _("Freight")
    OTHER = "other", _("Other")


def jurisdiction_of(user) -> Area | None:
    """The area a staff account works for (a workplace union's: its parent's); None for none."""
    union = StaffMember.union_of(user)
    if union is None or not union.is_workplace:
        return union.area if union is not None else None
    # Without the boundary (thousands of vertices) that `union.home_area` would load.
    return Area.objects.defer("boundary").get(union__workplace_unions=union)


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnterpriseQuerySet:
        """Superusers: all; union staff: their jurisdiction's enterprises; others none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        area = jurisdiction_of(user)
        return self.in_area(area) if area is not None else self.none()

    def in_area(self, area: Area) -> EnterpriseQuerySet:
        return self.filter(area__path__startswith=area.path)


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True,
        validators=[validate_credit_code],
    )
    location = models.PointField(_("location"), srid=4326)
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="enterprises",
        verbose_name=_("area"), help_text=_("Smallest area containing the location; set on save."),
    )
    # Towns and streets have no boundaries in the area table; reviews group by this name.
    street = models.CharField(_("street or town"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    industry = models.CharField(
        _("industry"), max_length=20, choices=Industry.choices, default=Industry.OTHER
    )
    is_key = models.BooleanField(_("key enterprise"), default=False)
    union = models.OneToOneField(
        Union, on_delete=models.SET_NULL, null=True, blank=True, related_name="enterprise",
        verbose_name=_("own union"),
        help_text=_("Its workplace union, if it has one; cases of its workers go there first."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_enterprises", verbose_name=_("responsible staff member"),
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            # Name search of the report page's employer field (LIKE 'prefix%').
            models.Index(fields=["name"], name="outreach_enterprise_name",
                         opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(industry__in=Industry.values), name="enterprise_industry_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalise(self.credit_code or "")
        if self.union_id is not None and self.union.parent_id is None:
            raise ValidationError({"union": _("Its own union must be a workplace union.")})

    def save(self, *args, **kwargs):
        self.credit_code = normalise(self.credit_code or "")
        if self.location is not None:
            self.area = Area.objects.containing(self.location).first()
        super().save(*args, **kwargs)


def local_today() -> date:
    return timezone.localdate()


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> VisitQuerySet:
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user))

    def in_area(self, area: Area) -> VisitQuerySet:
        return self.filter(enterprise__area__path__startswith=area.path)

    def between(self, start: date, end: date) -> VisitQuerySet:
        """Visits on days in [start, end)."""
        return self.filter(visited_on__gte=start, visited_on__lt=end)


class Visit(models.Model):
    """One staff visit to an enterprise (越工周记): the visit itself is the record."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visits", verbose_name=_("enterprise")
    )
    visited_on = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outreach_visits",
        verbose_name=_("staff member"),
    )
    workers_met = models.PositiveSmallIntegerField(_("workers met"), default=0)
    findings = models.TextField(_("findings"), max_length=4000)
    follow_up = models.TextField(_("follow-up"), max_length=4000, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            # Reviews: visits per staff member and week, and per period.
            models.Index(fields=["staff", "visited_on"], name="outreach_visit_staff_day"),
            models.Index(fields=["visited_on"], name="outreach_visit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.visited_on}"

    def clean(self) -> None:
        if self.visited_on is not None and self.visited_on > local_today():
            raise ValidationError({"visited_on": _("A visit cannot be dated in the future.")})


class VisitIssue(models.Model):
    """An issue raised on a visit, which became a case (channel `visit`)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="issues")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="visit_issue")
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("issue raised on a visit")
        verbose_name_plural = _("issues raised on visits")


class VisitTarget(models.Model):
    """A union's weekly visit target per staff member (越城: at least 4 a week)."""

    union = models.OneToOneField(Union, on_delete=models.CASCADE, related_name="visit_target")
    weekly_visits = models.PositiveSmallIntegerField(_("visits per staff member and week"), default=4)

    class Meta:
        verbose_name = _("weekly visit target")
        verbose_name_plural = _("weekly visit targets")

    DEFAULT = 4

    @classmethod
    def for_area(cls, area: Area) -> int:
        """The target of the nearest union at or above `area` that set one, else the default."""
        codes = area.ancestor_adcodes or [area.adcode]
        target = (
            cls.objects.filter(union__area__adcode__in=codes)
            .order_by("-union__area__depth").values_list("weekly_visits", flat=True).first()
        )
        return target if target is not None else cls.DEFAULT


class HostRole(models.TextChoices):
    TOWN_HEAD = "town_head", _("Town head")
    UNION_CHAIR = "union_chair", _("Union chair")
    DEPUTY = "deputy", _("People's deputy")
    OTHER = "other", _("Other")


class Repeat(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Weekly")


class Occurrence:
    """One sitting of a session: aware start and end (the end may be the next day)."""

    __slots__ = ("session", "start", "end")

    def __init__(self, session: ReceptionSession, start: datetime, end: datetime):
        self.session, self.start, self.end = session, start, end

    def __repr__(self) -> str:
        return f"Occurrence({self.session.pk}, {self.start.isoformat()}, {self.end.isoformat()})"


class ReceptionSessionQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> ReceptionSessionQuerySet:
        return self.filter(facility__area__path__startswith=area.path)

    def current(self, today: date) -> ReceptionSessionQuerySet:
        """Sessions that may still sit on or after `today`'s eve (cheap SQL pre-filter; the exact
        test is `next_occurrence`). The eve: a session running past midnight may still be on."""
        eve = today - timedelta(days=1)
        return self.filter(
            Q(repeat=Repeat.ONCE, date__gte=eve)
            | Q(repeat=Repeat.WEEKLY) & (Q(valid_until__isnull=True) | Q(valid_until__gte=eve))
        )


class ReceptionSession(models.Model):
    """A reception day at a facility (秀洲: 镇长接待日 every Wednesday), one-off or weekly.

    Times are wall-clock times in settings.TIME_ZONE (Asia/Shanghai: no daylight saving, so a
    weekly time is the same instant offset every week). An end before the start means the
    session runs past midnight into the next day.
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="reception_sessions",
        verbose_name=_("facility"),
    )
    repeat = models.CharField(_("repeats"), max_length=10, choices=Repeat.choices)
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("For a one-off session."))
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("For a weekly session: 0 Monday … 6 Sunday.")
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    host_name = models.CharField(_("host"), max_length=100)
    host_role = models.CharField(_("host's role"), max_length=20, choices=HostRole.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ReceptionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["facility_id", "id"]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        constraints = [
            # Mirrored by clean() and the API serializer, which name the field.
            models.CheckConstraint(
                condition=Q(repeat=Repeat.ONCE, date__isnull=False, weekday__isnull=True)
                | Q(repeat=Repeat.WEEKLY, date__isnull=True, weekday__gte=0, weekday__lte=6),
                name="reception_session_once_or_weekly",
            ),
            models.CheckConstraint(condition=~Q(starts=models.F("ends")),
                                   name="reception_session_not_empty"),
            models.CheckConstraint(
                condition=Q(host_role__in=HostRole.values), name="reception_session_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.host_name}"

    def clean(self) -> None:
        errors = {}
        if self.repeat == Repeat.ONCE and self.date is None:
            errors["date"] = _("A one-off session needs a date.")
        if self.repeat == Repeat.WEEKLY and self.weekday is None:
            errors["weekday"] = _("A weekly session needs a weekday.")
        if self.starts is not None and self.starts == self.ends:
            errors["ends"] = _("A session must not end when it starts.")
        if errors:
            raise ValidationError(errors)

    def _sitting(self, day: date) -> Occurrence:
        tz = timezone.get_default_timezone()
        start = datetime.combine(day, self.starts, tzinfo=tz)
        end_day = day + timedelta(days=1) if self.ends < self.starts else day
        return Occurrence(self, start, datetime.combine(end_day, self.ends, tzinfo=tz))

    def occurrences(self, after: datetime, until: datetime) -> list[Occurrence]:
        """Sittings that have not ended by `after` and start before `until`, in order."""
        local = timezone.localtime(after).date()
        if self.repeat == Repeat.ONCE:
            days = [self.date]
        else:
            # From the eve (a sitting started yesterday may still run) to the horizon.
            first = local - timedelta(days=1)
            first += timedelta(days=(self.weekday - first.weekday()) % 7)
            last = timezone.localtime(until).date()
            days = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
            days = [
                d for d in days
                if (self.valid_from is None or d >= self.valid_from)
                and (self.valid_until is None or d <= self.valid_until)
            ]
        sittings = [self._sitting(d) for d in days]
        return [s for s in sittings if s.end > after and s.start < until]

    def next_occurrence(self, after: datetime, horizon: timedelta = timedelta(days=60)):
        found = self.occurrences(after, after + horizon)
        return found[0] if found else None


class SessionCase(models.Model):
    """A case taken at a reception day (channel `reception_day`)."""

    session = models.ForeignKey(ReceptionSession, on_delete=models.PROTECT, related_name="cases")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reception_session")
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("case taken at a reception day")
        verbose_name_plural = _("cases taken at reception days")


class PairingQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> PairingQuerySet:
        return self.filter(facility__area__path__startswith=area.path)


class Pairing(models.Model):
    """An official paired with a station (秀洲: 工会主席结对驿站)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("facility")
    )
    official_name = models.CharField(_("official"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=HostRole.choices)
    union = models.ForeignKey(
        Union, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairings",
        verbose_name=_("union"),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["facility_id", "id"]
        verbose_name = _("station pairing")
        verbose_name_plural = _("station pairings")

    def __str__(self) -> str:
        return f"{self.official_name} — {self.facility}"


