"""The case workflow: statuses, actions and the one table of transitions between them, the events
every change writes, and the methods that run them (mixed into `cases.models.Case`).

Each action locks the case's row, checks TRANSITIONS and who may act (`check_actor`), changes the
case and writes its events in one transaction; or raises TransitionNotAllowed (409),
NotCaseHolder (403) or ValidationError (400), writing nothing. The API, the admin's buttons and
actions, and the demo generator all go through here.

The models (Case, CaseEvent, StaffMember, Department) import this module; it reads them back at
call time through `cases.models`, so the import is one way at load time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.gis.geos import Point

    from cases.models import Case, CaseEvent, Department
    from stations.models import Union

    Actor = AbstractBaseUser | None


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated")
    TRANSFERRED = "transferred", _("Transferred")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Reopened")


# Statuses in which the union still owes the worker something. A transferred case is one of them:
# the union that transferred it stays accountable and its clock keeps running (overdue, stats,
# `case_deadlines`), or a case sent to a department silently stops counting.
OPEN_STATUSES = [
    Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ESCALATED, Status.REOPENED,
    Status.TRANSFERRED,
]


class Action(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    START = "start", _("Start")
    RESOLVE = "resolve", _("Resolve")
    CLOSE = "close", _("Close")
    ESCALATE = "escalate", _("Escalate")
    TRANSFER = "transfer", _("Transfer")
    REJECT = "reject", _("Reject")
    REOPEN = "reopen", _("Reopen")
    TAKE_OVER = "take_over", _("Take over")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None: the action changes who holds the case, not its status (take_over).
    target: str | None
    # Inputs the action is meaningless without. The API answers 400 naming them; the model
    # refuses too, so the admin and shell cannot skip them either.
    requires: tuple[str, ...] = ()


# Statuses from which a level can still hand the case on (up, or to another department).
_HANDLING = frozenset(
    {Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ESCALATED, Status.REOPENED}
)

# The workflow, in one place: the statuses each action may start from and where it leads.
# Everything else (allowed actions in the API and admin, 409 bodies) is derived from it.
TRANSITIONS: dict[str, Transition] = {
    # An escalated or reopened case, or one a department sent back, is taken on again.
    Action.ACCEPT: Transition(
        frozenset({Status.RECEIVED, Status.ESCALATED, Status.TRANSFERRED, Status.REOPENED}),
        Status.ACCEPTED,
    ),
    Action.START: Transition(frozenset({Status.ACCEPTED}), Status.IN_PROGRESS),
    # From transferred: the union relays the department's answer and stays accountable for it.
    Action.RESOLVE: Transition(
        frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.TRANSFERRED}),
        Status.RESOLVED,
        requires=("note",),
    ),
    Action.CLOSE: Transition(frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.ESCALATE: Transition(_HANDLING, Status.ESCALATED),
    Action.TRANSFER: Transition(_HANDLING, Status.TRANSFERRED, requires=("department",)),
    # 不予受理 is a decision on intake, so only before the case is taken on; the worker gets the reason.
    Action.REJECT: Transition(
        frozenset({Status.RECEIVED, Status.ESCALATED, Status.REOPENED}),
        Status.REJECTED,
        requires=("note",),
    ),
    Action.REOPEN: Transition(
        frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED}), Status.REOPENED
    ),
    # Escalate in reverse: a parent union pulls a case of one of its lower unions to itself.
    # Until it does, it only reads the case (see `Case.check_actor`).
    Action.TAKE_OVER: Transition(_HANDLING | {Status.TRANSFERRED}, None),
}

# A rating at or below this reopens the case (有评判: the worker's verdict counts).
REOPENING_RATING = 2

# actor_label of events not made by a staff account.
REPORTER = "reporter"
SYSTEM = "system"


def allowed_actions(status: str) -> list[str]:
    return [str(action) for action, rule in TRANSITIONS.items() if status in rule.sources]


class TransitionNotAllowed(Exception):
    """The case's status (or its place in the union hierarchy) does not allow the action: 409."""

    def __init__(self, case: Case, action: str, reason: str | None = None):
        self.action = str(action)
        self.status = case.status
        self.allowed = [a for a in allowed_actions(case.status) if reason is None or a != action]
        super().__init__(
            reason
            or gettext("“%(action)s” is not allowed while the case is “%(status)s”.")
            % {"action": Action(action).label, "status": Status(case.status).label}
        )


class NotCaseHolder(Exception):
    """The actor's union does not hold the case (403): only its holder's staff act on it, and a
    parent union only after `take_over`. Names the union holding it."""

    def __init__(self, case: Case, action: str):
        self.action = str(action)
        self.holder = union_label(case.assigned_union)
        message = (
            _("Only a union above the one holding this case (%(union)s) can take it over.")
            if action == Action.TAKE_OVER
            else _(
                "This case is held by %(union)s: only its staff act on it; a union above it "
                "must take it over first."
            )
        )
        super().__init__(str(message % {"union": self.holder}))


def union_label(union: Union | None) -> str:
    return union.name if union is not None else ""


def point_label(point: Point | None) -> str:
    return f"{point.x:.6f},{point.y:.6f}" if point is not None else ""


class EventKind(models.TextChoices):
    CREATED = "created", _("Received")
    STATUS = "status", _("Status")
    ASSIGNMENT = "assignment", _("Assignment")
    LOCATION = "location", _("Location")
    CATEGORY = "category", _("Category")
    RATING = "rating", _("Rating")
    NOTE = "note", _("Note")
    ASSIGNEE = "assignee", _("Handler")


@dataclass
class CaseChange:
    """One change to a case: when, by whom, and the events it writes together with the case."""

    case: Case
    actor: Actor  # None for the reporter and the system
    actor_label: str
    now: datetime
    events: list[CaseEvent] = field(default_factory=list)

    def event(
        self, kind: str, from_value: str, to_value: str, note: str = "", public: bool = True
    ) -> CaseEvent:
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        label = self.actor_label or (actor.get_username() if actor is not None else SYSTEM)
        if isinstance(actor, _models().UnionCredential):
            actor = None  # not an account: the event names the credential in its label
        return _models().CaseEvent(
            case=self.case, kind=kind, actor=actor, actor_label=label[:150],
            from_value=str(from_value)[:255], to_value=str(to_value)[:255],
            note=note, public=public, created_at=self.now,
        )

    def record(
        self, kind: str, from_value: str, to_value: str, note: str = "", public: bool = True
    ) -> None:
        self.events.append(self.event(kind, from_value, to_value, note, public))

    def save(self) -> None:
        """Write the changed case and its events, inside the caller's transaction. (A new case is
        written by `Case.objects.insert_with_events`, which intake calls.)"""
        self.case.save()
        _models().CaseEvent.objects.append(self.events)



def _models():
    """`cases.models`, read at call time: it imports this module."""
    from cases import models

    return models


class CaseWorkflow:
    """The workflow half of `cases.models.Case`."""

    def allowed_actions(self) -> list[str]:
        return allowed_actions(self.status)

    # Workflow. Each action locks the row, checks TRANSITIONS, changes the case and writes its
    # events in one transaction; or raises TransitionNotAllowed / ValidationError, writing nothing.

    def perform(
        self,
        action: str,
        actor: Actor = None,
        *,
        note: str = "",
        department: Department | str | int | None = None,
        assignee: AbstractBaseUser | None = None,
        actor_label: str = "",
    ) -> None:
        """Run `action` by name (the API and admin dispatch through here)."""
        if action not in TRANSITIONS:
            raise ValidationError(
                {"action": gettext("Unknown action “%(action)s”.") % {"action": action}}
            )
        extra: dict = {}
        if action == Action.TRANSFER:
            extra["department"] = department
        if action == Action.ACCEPT:
            extra["assignee"] = assignee
        getattr(self, str(action))(actor, note, actor_label=actor_label, **extra)

    def check_actor(self, actor: Actor, action: str) -> None:
        """Only staff of the union holding the case act on it (superusers too, and the system:
        actor None). A union above the holder may `take_over`, and then holds it; a lower union
        keeps reading a case it escalated (its area is still theirs) but no longer acts on it.
        A case nobody holds (old data) may be acted on by whoever sees it."""
        if actor is None or not actor.is_authenticated or actor.is_superuser:
            return
        union = _models().StaffMember.union_of(actor)
        holder = self.assigned_union
        if action == Action.TAKE_OVER:
            if holder is None or union is None or union.pk == holder.pk:
                raise TransitionNotAllowed(
                    self, action, reason=str(_("Your union already holds this case."))
                    if union is not None and holder is not None else None,
                )
            # Only an area's union takes over, a case of a union in its area (a workplace
            # union's included: its home area is its parent's).
            if union.is_workplace or not holder.home_area.path.startswith(union.area.path):
                raise NotCaseHolder(self, action)
            return
        if holder is not None and (union is None or union.pk != holder.pk):
            raise NotCaseHolder(self, action)

    def accept(
        self, actor: Actor = None, note: str = "", *, actor_label: str = "",
        assignee: AbstractBaseUser | None = None,
    ) -> None:
        """Take the case on; its handler is `assignee`, else the accepting staff member."""
        with self._transition(Action.ACCEPT, actor, actor_label, note=note) as step:
            self.responded_at = self.responded_at or step.now
            handler = assignee or (actor if self._is_union_staff(actor) else None)
            if handler is not None:
                self._set_assignee(step, handler)

    def start(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        with self._transition(Action.START, actor, actor_label, note=note) as step:
            self.responded_at = self.responded_at or step.now

    def resolve(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        """Resolve with `note` as the answer to the worker (required)."""
        with self._transition(Action.RESOLVE, actor, actor_label, note=note) as step:
            self.resolution = note
            self.resolved_at = step.now
            self.responded_at = self.responded_at or step.now

    def close(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        with self._transition(Action.CLOSE, actor, actor_label, note=note) as step:
            self.closed_at = step.now

    def escalate(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        """Hand the case to the union of the parent area, walking up past areas without one."""
        with self._transition(Action.ESCALATE, actor, actor_label, note=note) as step:
            above = self.union_above()
            if above is None:
                reason = (
                    gettext("There is no union above %(union)s to escalate to.")
                    % {"union": self.assigned_union.name}
                    if self.assigned_union is not None
                    else gettext("There is no union above this case to escalate to.")
                )
                raise TransitionNotAllowed(self, Action.ESCALATE, reason=reason)
            step.record(EventKind.ASSIGNMENT, union_label(self.assigned_union), above.name)
            self.assigned_union = above
            # The handler worked for the union below; the union above names its own.
            self._set_assignee(step, None)

    def take_over(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        """A union above the holder takes the case (escalate in reverse); the staff member who
        takes it over becomes its handler."""
        with self._transition(Action.TAKE_OVER, actor, actor_label, note=note) as step:
            union = _models().StaffMember.union_of(actor) if actor is not None else None
            if union is None:  # a superuser: nobody to hand it to
                raise TransitionNotAllowed(self, Action.TAKE_OVER)
            step.record(
                EventKind.ASSIGNMENT, union_label(self.assigned_union), union.name,
                note=note or Action.TAKE_OVER,
            )
            self.assigned_union = union
            # The person taking it over handles it; an API key's take-over names nobody.
            self._set_assignee(step, actor if self._is_union_staff(actor) else None)

    def transfer(
        self, actor: Actor = None, note: str = "", *,
        department: Department | str | int | None = None, actor_label: str = "",
    ) -> None:
        """Hand the case to a department of the jurisdiction (recorded); the union keeps
        following it and its clock keeps running."""
        chosen = self._department(department)
        with self._transition(
            Action.TRANSFER, actor, actor_label, note=note, department=chosen.name
        ) as step:
            step.record(EventKind.ASSIGNMENT, union_label(self.assigned_union), chosen.name)
            self.department, self.transferred_to = chosen, chosen.name

    def assign(self, actor: Actor, assignee: AbstractBaseUser | None) -> None:
        """Name (or clear, with None) the case's handler within its union."""
        with transaction.atomic():
            self.refresh_from_db(from_queryset=type(self).objects.select_for_update())
            self.check_actor(actor, "assign")
            step = CaseChange(self, actor, "", timezone.now())
            self._set_assignee(step, assignee)
            if step.events:
                step.save()

    def _is_union_staff(self, user: Actor) -> bool:
        """A person's account (not an API key's credential) of the union holding the case."""
        return (
            user is not None and user.is_authenticated and user.pk is not None
            and self.assigned_union_id is not None
            and getattr(_models().StaffMember.union_of(user), "pk", None) == self.assigned_union_id
        )

    def _set_assignee(self, step: CaseChange, assignee: AbstractBaseUser | None) -> None:
        if assignee is not None and not _models().StaffMember.objects.filter(
            user_id=assignee.pk, union_id=self.assigned_union_id
        ).exists():
            raise ValidationError({"assignee": _(
                "%(user)s is not a staff member of %(union)s, which holds this case."
            ) % {"user": assignee.get_username(), "union": union_label(self.assigned_union)}})
        if getattr(assignee, "pk", None) == self.assignee_id:
            return
        before = self.assignee.get_username() if self.assignee_id else ""
        # Its own kind, so that notifications can tell "case.assigned" from a union change.
        step.record(
            EventKind.ASSIGNEE, before, assignee.get_username() if assignee else "", public=False
        )
        self.assignee = assignee

    def _department(self, department: Department | str | int | None) -> Department:
        """The department a transfer names, by id or exact name, from the case's jurisdiction."""
        Department = _models().Department
        if isinstance(department, Department):
            candidates = Department.objects.filter(pk=department.pk)
        else:
            text = str(department or "").strip()
            if not text:
                raise ValidationError({"department": _("Required for a transfer.")})
            lookup = Q(name=text) | (Q(pk=int(text)) if text.isdigit() else Q(pk__in=[]))
            candidates = Department.objects.filter(lookup)
        # A name the district and the city both use means the district's own (the nearest).
        chosen = candidates.for_union(self.assigned_union).order_by("-area__depth").first()
        if chosen is None:
            raise ValidationError({"department": _(
                "Not a department of this jurisdiction: %(value)s"
            ) % {"value": department}})
        return chosen

    def reject(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        """Decline the case (不予受理); `note` is the reason given to the worker (required)."""
        with self._transition(Action.REJECT, actor, actor_label, note=note) as step:
            self.responded_at = self.responded_at or step.now

    def reopen(self, actor: Actor = None, note: str = "", *, actor_label: str = "") -> None:
        """Reopen, by staff or by the worker's low rating. The old answer stays in the events."""
        with self._transition(Action.REOPEN, actor, actor_label, note=note) as step:
            self.reopen_count += 1
            self.resolved_at = self.closed_at = None
            self.resolution = ""
            # A fresh resolution term: otherwise a case reopened a month later is overdue at once.
            self.due_at = step.now + _models().deadlines_for(self.category)[1]

    def rate(self, score: int, comment: str = "") -> None:
        """The worker's rating of the answer; 1-2 reopens the case."""
        with transaction.atomic():
            self.refresh_from_db(from_queryset=type(self).objects.select_for_update())
            if not self.can_be_rated:
                reason = (
                    _("This answer has already been rated.")
                    if self.status in (Status.RESOLVED, Status.CLOSED)
                    else _("Only a resolved case can be rated.")
                )
                raise ValidationError({"score": reason})
            step = CaseChange(self, None, REPORTER, timezone.now())
            self.rating, self.rating_comment, self.rated_at = score, comment, step.now
            step.record(EventKind.RATING, "", str(score), note=comment)
            step.save()
            if score <= REOPENING_RATING:
                self.reopen(note=comment, actor_label=REPORTER)

    def union_above(self) -> Union | None:
        """The union responsible for the parent of the assigned union's (or the case's) area."""
        # --- employer routing (issue 17, outreach): a workplace union (单位工会) hands a case on
        # to the union of the area it sits under (武义: 代访代办), not to the parent area's.
        if self.assigned_union_id is not None and self.assigned_union.parent_id is not None:
            return self.assigned_union.parent
        # --- end employer routing
        start = self.assigned_union.area if self.assigned_union_id else self.area
        parent = start.parent if start is not None else None
        return parent.responsible_union() if parent is not None else None

    @contextmanager
    def _transition(
        self, action: str, actor: Actor, actor_label: str, **inputs: str
    ) -> Iterator[CaseChange]:
        rule = TRANSITIONS[action]
        missing = {
            name: gettext("Required for “%(action)s”.") % {"action": Action(action).label}
            for name in rule.requires
            if not inputs.get(name, "").strip()
        }
        if missing:
            raise ValidationError(missing)
        with transaction.atomic():
            # Re-read under a row lock: of two staff acting at once, the second sees the first's
            # result and is checked against it.
            self.refresh_from_db(from_queryset=type(self).objects.select_for_update())
            self.check_actor(actor, action)
            if self.status not in rule.sources:
                raise TransitionNotAllowed(self, action)
            step = CaseChange(self, actor, actor_label, timezone.now())
            before = self.status
            yield step
            if rule.target is not None:
                self.status = rule.target
                step.events.insert(
                    0, step.event(EventKind.STATUS, before, rule.target, inputs["note"])
                )
            step.save()
