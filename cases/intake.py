"""Intake from every channel: route, set deadlines, number and record the case, once per token.

Used by the public API (`POST /api/cases/`) and the Open311 endpoint (`open311.views`, which passes
`channel=open311`); both hand over already validated values.
"""

from __future__ import annotations

import secrets
from contextlib import nullcontext
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    REPORTER,
    Case,
    CaseChange,
    EventKind,
    LocationSource,
    StaffMember,
    Status,
    deadlines_for,
)
from cases.routing import OUTSIDE_COVERAGE, Routing, route
from stations.models import Area, Facility, Union

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

CLIENT_TOKEN_CONSTRAINT = "case_client_token_unique"
NO_AREA_CODE = "000000"

NO_OWNER = _("Give a location, a facility or an area: a case must belong to a union.")
NO_UNION = _("No union answers for this place yet.")


def submit(
    *,
    category: str,
    description: str,
    channel: str,
    point: Point | None = None,
    location_source: str = "",
    facility: Facility | None = None,
    area: Area | None = None,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    client_token: str | None = None,
    staff: AbstractBaseUser | None = None,
) -> tuple[Case, bool]:
    """Create a case and its first events; returns (case, created).

    A `client_token` seen before returns the existing case with created=False. The check is the
    unique constraint itself, not a lookup first: of two concurrent submissions with one token,
    the second INSERT waits for the first to commit, fails on the constraint, and fetches the
    winner. `staff` is the account entering the case (hotline, reception day), if any: a case it
    enters without a location goes to its own union rather than to nobody.

    Every case has an owner (`owner`): a public case without a point, facility or `area`, or
    one placed outside every imported area, is refused with a ValidationError naming `location`.
    """
    if facility is not None:
        point, location_source = facility.location, LocationSource.FACILITY
    routing = owner(point, area, staff)

    now = timezone.now()
    respond_in, resolve_in = deadlines_for(category)
    case = Case(
        reference=_reference_prefix(routing, now),  # the serial is added as it is stored
        category=category,
        description=description,
        channel=channel,
        location=point,
        location_source=location_source if point is not None else "",
        address=address,
        facility=facility,
        area=routing.area,
        assigned_union=routing.union,
        status=Status.RECEIVED,
        response_due_at=now + respond_in,
        due_at=now + resolve_in,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        tracking_token=secrets.token_urlsafe(24),
        client_token=client_token or None,
        created_at=now,
    )
    step = CaseChange(case, staff, "" if staff is not None else REPORTER, now)
    step.record(EventKind.CREATED, "", Status.RECEIVED, note=channel)
    if routing.union is not None:
        step.record(
            EventKind.ASSIGNMENT, "", routing.union.name,
            note=_routing_note(point, facility, area),
        )
    try:
        # One statement, a transaction of its own: no BEGIN/COMMIT round trips. Inside a caller's
        # transaction, a savepoint around it, so a duplicate token leaves that transaction usable.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            Case.objects.insert_with_events(case, step.events)
    except IntegrityError as exc:
        if client_token and _violated_constraint(exc) == CLIENT_TOKEN_CONSTRAINT:
            return Case.objects.with_places().get(client_token=client_token), False
        raise
    return case, True


def owner(point: Point | None, area: Area | None, staff: AbstractBaseUser | None) -> Routing:
    """Where a new case goes, from whichever of its point (or facility's), `area` (an adcode
    chosen by the reporter) and the staff member entering it comes first; the one rule every
    intake channel shares. Raises ValidationError({"location": ...}) when the case would belong
    to nobody: no staff account could ever see it.

    Costs intake nothing: a located case is routed by the one prepared statement as before.
    """
    if point is not None:
        routing = route(point)
        if routing.area is None:
            raise ValidationError({"location": [OUTSIDE_COVERAGE]})
    elif area is not None:
        routing = Routing(area, area.responsible_union())
    else:
        staff_union = StaffMember.union_of(staff) if staff is not None else None
        if staff_union is None:
            raise ValidationError({"location": [NO_OWNER]})
        routing = Routing(staff_union.area, staff_union)
    if routing.union is None:
        # An area no union answers for, not even one above: the default intake desk's, if any.
        routing = Routing(routing.area, default_intake_union())
        if routing.union is None:
            raise ValidationError({"location": [NO_UNION]})
    return routing


def default_intake_union() -> Union | None:
    """The union of settings.DEFAULT_INTAKE_AREA (an adcode; empty: none), which takes the cases
    of areas without a union of their own or above them."""
    code = settings.DEFAULT_INTAKE_AREA
    if not code:
        return None
    area = Area.objects.defer("boundary").filter(adcode=code).first()
    return area.responsible_union() if area is not None else None


def _reference_prefix(routing: Routing, now: datetime) -> str:
    """e.g. `330411-2026-` of 330411-2026-000123: where, and which year (local time). The serial
    comes from a sequence that never hands one number to two intakes (`insert_with_events`)."""
    code = routing.area.adcode if routing.area is not None else NO_AREA_CODE
    return f"{code}-{timezone.localtime(now).year}-"


def _routing_note(point: Point | None, facility: Facility | None, area: Area | None) -> str:
    if facility is not None:
        return "routed by facility"
    if point is not None:
        return "routed by location"
    return "routed by area" if area is not None else "entered by the union's staff"


def _violated_constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)
