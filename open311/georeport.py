"""GeoReport v2's vocabulary over cases: services from the case categories, the status mapping,
which requests a caller may read, and a case as a service request.

The spec: http://wiki.open311.org/GeoReport_v2 (docs/open311.md says what is supported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy

from cases.models import (
    SHORTAGE_CATEGORY_FOR_KIND,
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    EventKind,
    Status,
)

if TYPE_CHECKING:
    from cases.models import CaseQuerySet
    from open311.models import ApiKey

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list or its definitions last changed (discovery's `changeset`).
CHANGESET = "2026-11-30T00:00:00+08:00"

# --- status -------------------------------------------------------------------------------------
# GeoReport knows open and closed. Closed means the union owes the worker nothing more unless the
# case is reopened; escalated and transferred cases are still being worked, so they are open.
# Any status not listed here counts as open: a new status can never hide an unfinished case.
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED})
OPEN, CLOSED = "open", "closed"


def georeport_status(status: str) -> str:
    return CLOSED if status in CLOSED_STATUSES else OPEN


# --- privacy ------------------------------------------------------------------------------------
# Requests about public places (a missing rest station, a broken charger) may be read by anyone:
# they describe a place, and other civic systems and the public benefit from seeing them. Every
# other category is a person's own dispute (wage arrears, a contract): only a key of a union whose
# jurisdiction holds the case reads it. A category added later is private until listed here.
PUBLIC_CATEGORIES = frozenset({*SHORTAGE_CATEGORY_FOR_KIND.values(), "facility_problem"})


def readable_requests(key: ApiKey | None) -> CaseQuerySet:
    """The cases a GeoReport caller may read: the public places' everywhere, and with a union's
    key, every case in that union's jurisdiction."""
    public = Case.objects.filter(category__in=PUBLIC_CATEGORIES)
    if key is None or key.union_id is None:
        return public
    return public | Case.objects.visible_to(key.credential())


# --- photos -------------------------------------------------------------------------------------
# A case's photos may show faces, number plates or a worker's home, so they are never public, not
# even for the public-place categories whose text anyone may read: only a key of a union whose
# jurisdiction holds the case fetches them (as that union's staff do). For everyone else
# `media_url` stays the link the submitting client sent, or empty.


def photo_cases(key: ApiKey | None) -> CaseQuerySet:
    """The cases whose photos a GeoReport caller may fetch: none without a union's key."""
    if key is None or key.union_id is None:
        return Case.objects.none()
    return Case.objects.visible_to(key.credential())


def first_photo(key: ApiKey, reference: str) -> CasePhoto | None:
    """The first photo of the request `reference`, if the key may see it (else None: 404)."""
    cases = photo_cases(key).filter(reference=reference)
    return CasePhoto.objects.filter(case__in=cases).order_by("id").first()


def matching(
    cases: CaseQuerySet,
    *,
    service_request_id: list[str],
    service_code: list[str],
    status: list[str],
    start_date: datetime,
    end_date: datetime,
    **page: int,
) -> CaseQuerySet:
    """GET requests' filters. Given ids, the others are ignored (as the spec says)."""
    if service_request_id:
        return cases.filter(reference__in=service_request_id)
    if service_code:
        cases = cases.filter(category__in=service_code)
    if set(status) == {OPEN}:
        cases = cases.exclude(status__in=CLOSED_STATUSES)
    elif set(status) == {CLOSED}:
        cases = cases.filter(status__in=CLOSED_STATUSES)
    return cases.filter(created_at__gte=start_date, created_at__lte=end_date)


# --- services -----------------------------------------------------------------------------------


def S(message: str) -> Any:  # noqa: N802  (reads like `_`)
    """A service's text, in its own catalogue context: short words like "Safety" or "Other" may
    mean something else elsewhere in the product."""
    return pgettext_lazy("open311 service", message)


FACILITIES, RIGHTS = S("Facilities"), S("Workers' rights")

# Names and descriptions written for a 311 client's menu, one language each (the catalogue gives
# the Chinese). A category missing here is still offered, under its own label.
SERVICE_TEXT: dict[str, tuple[Any, Any]] = {
    Category.CHARGING_SHORTAGE: (
        S("Not enough charging points"),
        S("There is no e-bike charging or battery swap nearby, or too few."),
    ),
    Category.CANTEEN_SHORTAGE: (
        S("Not enough canteens"),
        S("There is nowhere affordable to eat nearby."),
    ),
    Category.STATION_SHORTAGE: (
        S("Not enough rest stations"),
        S("There is no rest station nearby to rest, drink water or warm up."),
    ),
    "facility_problem": (
        S("Problem with a listed place"),
        S("A listed station, canteen or charging point is closed, broken or not as described."),
    ),
    Category.WAGE_ARREARS: (S("Wage arrears"), S("Wages have not been paid in full or on time.")),
    Category.LABOUR_CONTRACT: (
        S("Labour contract"),
        S("No contract, or a dispute about a contract or its termination."),
    ),
    Category.PLATFORM_RULES: (
        S("Platform penalties and algorithms"),
        S("Fines, deductions, dispatch rules or ratings set by a platform."),
    ),
    Category.SAFETY: (S("Safety"), S("A danger at work, on the road or at a workplace.")),
    Category.TRAVEL_HOME: (S("Travel home"), S("Help with travelling home, e.g. at Spring Festival.")),
    Category.SKILLS_TRAINING: (S("Skills and training"), S("Training courses and qualifications.")),
    Category.OTHER: (S("Other"), S("Anything else the union can help with.")),
}


@dataclass(frozen=True)
class Attribute:
    """A service's extra input (GeoReport `attributes`), sent as `attribute[code]`."""

    code: str
    datatype: str
    required: bool
    description: Any
    datatype_description: Any = ""
    values: list[dict[str, Any]] = field(default_factory=list)


# Keyed by category value, so an attribute applies as soon as its category exists.
ATTRIBUTES: dict[str, list[Attribute]] = {
    "facility_problem": [
        Attribute(
            code="facility",
            datatype="number",
            required=True,
            description=S("Which place has the problem"),
            datatype_description=S(
                "The facility's id, as in /api/facilities/{id}/ or on the QR code at the place"
            ),
        )
    ],
}


def service_codes() -> list[str]:
    return list(Category.values)


def service_name(code: str) -> str:
    return str(SERVICE_TEXT[code][0] if code in SERVICE_TEXT else Category(code).label)


def service(code: str) -> dict[str, Any]:
    description = SERVICE_TEXT[code][1] if code in SERVICE_TEXT else ""
    return {
        "service_code": code,
        "service_name": service_name(code),
        "description": str(description),
        "metadata": bool(ATTRIBUTES.get(code)),
        "type": "realtime",
        "keywords": code.replace("_", ","),
        "group": str(FACILITIES if code in PUBLIC_CATEGORIES else RIGHTS),
    }


def services() -> list[dict[str, Any]]:
    """Every case category, the public places' group first, each group in the categories' order."""
    listed = [service(code) for code in service_codes()]
    return sorted(listed, key=lambda s: s["service_code"] not in PUBLIC_CATEGORIES)


def service_definition(code: str) -> dict[str, Any]:
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": str(a.datatype_description),
                "order": order,
                "description": str(a.description),
                "values": a.values,
            }
            for order, a in enumerate(ATTRIBUTES.get(code, []), start=1)
        ],
    }


# --- a case as a service request ----------------------------------------------------------------


def with_request_fields(cases: CaseQuerySet, key: ApiKey | None = None) -> CaseQuerySet:
    """What `as_service_request` reads, in one query: union, Open311 extras, the latest note,
    and whether the caller's key gets the case's photo as `media_url`."""
    latest_note = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.STATUS, public=True)
        .exclude(note="")
        .order_by("-created_at", "-id")
        .values("note")[:1]
    )
    cases = cases.select_related("assigned_union", "open311_request").annotate(
        public_note=Subquery(latest_note)
    )
    if key is not None and key.union_id is not None:
        readable = photo_cases(key).values("pk")
        cases = cases.annotate(
            photo_shown=Exists(CasePhoto.objects.filter(case=OuterRef("pk"), case__in=readable))
        )
    return cases.order_by("-created_at", "-id")


def as_service_request(
    case: Case, photo_url: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """A case as GeoReport's service request. Never the reporter's name, phone or e-mail.

    `photo_url(reference)` is the absolute URL of a request's photo; it becomes `media_url` where
    `with_request_fields` found a photo the caller's key may fetch."""
    extra = getattr(case, "open311_request", None)
    union = case.assigned_union
    english = (get_language() or "").startswith("en")
    agency = (union.name_en if english and union.name_en else union.name) if union else ""
    location = case.location
    return {
        "service_request_id": case.reference,
        "status": georeport_status(case.status),
        # The answer to the worker once there is one, else the latest note a status change
        # carried that the worker may see (a rejection's reason, a reopening's).
        "status_notes": case.resolution or getattr(case, "public_note", None) or "",
        "service_name": service_name(case.category),
        "service_code": case.category,
        "description": case.description,
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": _local(case.created_at),
        "updated_datetime": _local(case.updated_at),
        "expected_datetime": _local(case.due_at),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": location.y if location is not None else None,
        "long": location.x if location is not None else None,
        "media_url": _media_url(case, extra, photo_url),
    }


def _media_url(case: Case, extra: Any, photo_url: Callable[[str], str] | None) -> str:
    if photo_url is not None and getattr(case, "photo_shown", False):
        return photo_url(case.reference)
    return extra.media_url if extra is not None else ""


def _local(moment: datetime) -> str:
    # With the service's offset (+08:00), as the rest of the API writes times.
    return timezone.localtime(moment).isoformat()
