"""Workers' cases (诉求): intake from every channel, routing, workflow, events, rating."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stations.models import EQUAL_AREA_SRID, Area, Facility, Union


class Category(models.TextChoices):
    CHARGING_SHORTAGE = "charging_shortage", _("充电点不足 shortage of charging points")
    CANTEEN_SHORTAGE = "canteen_shortage", _("食堂不足 shortage of canteens")
    STATION_SHORTAGE = "station_shortage", _("驿站不足 shortage of rest stations")
    WAGE_ARREARS = "wage_arrears", _("欠薪 wage arrears")
    LABOUR_CONTRACT = "labour_contract", _("劳动合同 labour contract")
    PLATFORM_RULES = "platform_rules", _("平台罚款与算法 platform penalties and algorithms")
    SAFETY = "safety", _("安全 safety")
    TRAVEL_HOME = "travel_home", _("返乡出行 travel home")
    SKILLS_TRAINING = "skills_training", _("技能培训 skills and training")
    OTHER = "other", _("其他 other")


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
    HOTLINE = "hotline", _("12351热线 hotline")
    ONLINE = "online", _("线上 online (WeChat, mini-program, app)")
    STATION = "station", _("驿站现场 walk-in at a station")
    VISIT = "visit", _("走访企业 staff visit")
    RECEPTION_DAY = "reception_day", _("接待日 reception day")
    OPEN311 = "open311", _("Open311")


class Status(models.TextChoices):
    RECEIVED = "received", _("已受理 received")
    ACCEPTED = "accepted", _("已接单 accepted")
    IN_PROGRESS = "in_progress", _("办理中 in progress")
    RESOLVED = "resolved", _("已办结 resolved")
    CLOSED = "closed", _("已关闭 closed")
    ESCALATED = "escalated", _("已上报 escalated")
    TRANSFERRED = "transferred", _("已转办 transferred")
    REJECTED = "rejected", _("不予受理 rejected")
    REOPENED = "reopened", _("重新办理 reopened")


# Statuses in which the union still owes the worker something.
OPEN_STATUSES = [
    Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ESCALATED, Status.REOPENED,
]


class LocationSource(models.TextChoices):
    GPS = "gps", _("GPS (WGS84)")
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent, WeChat)")
    BD09 = "bd09", _("BD-09 (Baidu)")
    STAFF_MAP = "staff_map", _("工作人员标注 staff map")
    FACILITY = "facility", _("设施位置 facility")
    ADDRESS = "address", _("地址 address")


class Case(models.Model):
    reference = models.CharField(_("编号 reference"), max_length=32, unique=True, editable=False)
    category = models.CharField(_("类别 category"), max_length=32, choices=Category.choices)
    description = models.TextField(_("内容 description"), max_length=4000)
    channel = models.CharField(_("渠道 channel"), max_length=20, choices=Channel.choices)
    location = models.PointField(_("位置 location"), srid=4326, null=True, blank=True)
    # Equal-area copy kept by PostgreSQL for grid aggregation (maps.gaps, maps heatmap).
    location_ea = models.GeneratedField(
        expression=Transform("location", EQUAL_AREA_SRID),
        output_field=models.PointField(srid=EQUAL_AREA_SRID, null=True, spatial_index=False),
        db_persist=True,
    )
    location_source = models.CharField(
        _("位置来源 location source"), max_length=20, choices=LocationSource.choices, blank=True
    )
    address = models.CharField(_("地址 address"), max_length=255, blank=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    assigned_union = models.ForeignKey(
        Union, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("承办工会 assigned union"),
    )
    status = models.CharField(
        _("状态 status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    transferred_to = models.CharField(_("转办部门 transferred to"), max_length=200, blank=True)
    response_due_at = models.DateTimeField(_("响应时限 respond by"))
    due_at = models.DateTimeField(_("办结时限 resolve by"))
    responded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("答复 answer to the worker"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    reporter_name = models.CharField(_("姓名 reporter name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("电话 reporter phone"), max_length=40, blank=True)
    tracking_token = models.CharField(max_length=64, editable=False)
    client_token = models.CharField(max_length=100, null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(_("评分 rating"), null=True, blank=True)
    rating_comment = models.TextField(_("评价 rating comment"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("受理时间 received at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("诉求 case")
        verbose_name_plural = _("诉求 cases")
        indexes = [
            models.Index(fields=["assigned_union", "status"], name="cases_case_union_status"),
            models.Index(fields=["status", "due_at"], name="cases_case_status_due"),
            models.Index(fields=["category", "created_at"], name="cases_case_category_created"),
            GistIndex(fields=["location_ea"], name="cases_case_location_ea"),
        ]
        constraints = [
            # Idempotent intake: two concurrent POSTs with one token make one case.
            models.UniqueConstraint(
                fields=["client_token"],
                condition=Q(client_token__isnull=False),
                name="case_client_token_unique",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class EventKind(models.TextChoices):
    CREATED = "created", _("受理 created")
    STATUS = "status", _("状态 status")
    ASSIGNMENT = "assignment", _("承办单位 assignment")
    LOCATION = "location", _("位置 location")
    CATEGORY = "category", _("类别 category")
    RATING = "rating", _("评价 rating")
    NOTE = "note", _("备注 note")


class CaseEvent(models.Model):
    """One change to a case. Append-only: a database trigger refuses UPDATE and DELETE."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text=_("e.g. reporter, system"))
    from_value = models.CharField(max_length=255, blank=True)
    to_value = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("处理记录 case event")
        verbose_name_plural = _("处理记录 case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_value}→{self.to_value}"


class StaffMember(models.Model):
    """Ties a staff account to the union it works for; it sees that union's area and below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="staff")
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("工会工作人员 staff member")
        verbose_name_plural = _("工会工作人员 staff members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.union}"
