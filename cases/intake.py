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

from cases.employers import Employer
from cases.models import (
    REPORTER,
    Case,
    CaseChange,
    CasePhoto,
    Category,
    EventKind,
    LocationSource,
    StaffMember,
    Status,
    deadlines_for,
)
from cases.photos import CleanPhoto
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
    notify_me: bool = False,
    client_token: str | None = None,
    staff: AbstractBaseUser | None = None,
    employer: Employer | None = None,
    received_at: datetime | None = None,
) -> tuple[Case, bool]:
    """Create a case and its first events; returns (case, created).

    A `client_token` seen before returns the existing case with created=False. The check is the
    unique constraint itself, not a lookup first: of two concurrent submissions with one token,
    the second INSERT waits for the first to commit, fails on the constraint, and fetches the
    winner. `staff` is the account entering the case (hotline, reception day), if any: a case it
    enters without a location goes to its own union rather than to nobody. `area` is where a case
    without a point happened, as the reporter named it (Open311's `jurisdiction_id` with an
    address): it goes to that area's union. An `employer` with its own union (单位工会) gets the
    case first, wherever the worker is (`_employer_routing`). `received_at` (default now) dates
    a case entered after the fact, and its first events.

    Every case has an owner (`owner`): a public case without a point, facility, `area` or an
    employer with a union of its own, or one placed outside every imported area, is refused with
    a ValidationError naming `location`.
    """
    if facility is not None:
        point, location_source = facility.location, LocationSource.FACILITY
    try:
        routing = owner(point, area, staff)
    except ValidationError:
        # The employer's own union owns a case the worker could not place (not one placed
        # outside every area: that point is wrong, not missing).
        if point is not None or employer is None or employer.union is None:
            raise
        routing = Routing(None, None)
    by_operator = category == Category.FACILITY_PROBLEM and facility is not None and (
        facility.operator_id is not None
    )
    if by_operator:
        # The place is not as listed: the union that runs it must act, wherever it stands.
        routing = Routing(routing.area, facility.operator)
    note = (
        "routed to the facility's operating union" if by_operator
        else _routing_note(point, facility, area)
    )
    if employer is not None:
        routing, note = _employer_routing(routing, employer, note)

    now = received_at or timezone.now()
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
        employer_code=employer.credit_code if employer is not None else "",
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        notify_me=notify_me,
        tracking_token=secrets.token_urlsafe(24),
        client_token=client_token or None,
        created_at=now,
    )
    step = CaseChange(case, staff, "" if staff is not None else REPORTER, now)
    step.record(EventKind.CREATED, "", Status.RECEIVED, note=channel)
    if routing.union is not None:
        step.record(EventKind.ASSIGNMENT, "", routing.union.name, note=note)
    try:
        # One statement, a transaction of its own: no BEGIN/COMMIT round trips. Inside a caller's
        # transaction, a savepoint around it, so a duplicate token leaves that transaction usable.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            Case.objects.insert_with_events(case, step.events)
    except IntegrityError as exc:
        if client_token and _violated_constraint(exc) == CLIENT_TOKEN_CONSTRAINT:
            existing = Case.objects.with_places().get(client_token=client_token)
            if not _same_submission(existing, case):
                # Knowing a token must not open someone else's case (and its tracking token).
                raise ClientTokenReused(CLIENT_TOKEN_REUSED) from None
            return existing, False
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


class ClientTokenReused(Exception):
    """A `client_token` already used for a case with other content: not a retry."""


CLIENT_TOKEN_REUSED = _("already used for a different case; a retry must send the same case")
# What a retry repeats exactly. Routing, deadlines and the reference are derived from these.
_SUBMITTED = ("category", "description", "channel", "location_source", "address", "facility_id",
              "reporter_name", "reporter_phone")


def _same_submission(existing: Case, retry: Case) -> bool:
    if any(getattr(existing, name) != getattr(retry, name) for name in _SUBMITTED):
        return False
    # Stored as double precision in EWKB, so a repeated point reads back equal.
    here, there = existing.location, retry.location
    if here is None or there is None:
        return here is None and there is None
    return (here.x, here.y) == (there.x, there.y)


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


def _employer_routing(routing: Routing, employer: Employer, note: str) -> tuple[Routing, str]:
    """The employer's own union first (武义: 单位工会), else location routing as before; the note
    says which and why. Workers travel, so an employer outside the case's area is allowed, and
    said. The case keeps the area of its location (or, without one, the union's area), so the
    area's union sees it too and it counts in that area's statistics."""
    union = employer.union
    if union is None:
        return routing, f"{note}; the employer {employer.credit_code} has no union of its own"
    home = union.home_area
    why = f"routed to the employer's own union ({employer.credit_code})"
    if routing.area is not None and not routing.area.path.startswith(home.path):
        why += (
            f"; the case's location is in {routing.area.name} ({routing.area.adcode}), outside "
            f"the employer's area {home.name} ({home.adcode})"
        )
    return Routing(routing.area or home, union), why


def _violated_constraint(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def attach_photos(case: Case, photos: list[CleanPhoto]) -> None:
    """Store the (already cleaned) photos of a new case. Call inside the intake's transaction:
    if storing one fails, the case and its rows roll back, and the files already written are
    removed, so no case is left with half its photos."""
    stored: list[CasePhoto] = []
    try:
        for photo in photos:
            row = CasePhoto(case=case, width=photo.width, height=photo.height,
                            created_at=case.created_at)
            row.image.save("photo.jpg", photo.content, save=False)
            stored.append(row)
        CasePhoto.objects.bulk_create(stored)
    except Exception:
        for row in stored:
            row.image.delete(save=False)
        raise
