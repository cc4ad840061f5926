"""Webhook subscriptions, the delivery log, and the bookkeeping of the worker (notify.worker).

The outbox is `cases.CaseEvent` itself: every case change writes its events in its own statement
or transaction, and the worker reads them past a high-water mark (`Cursor`). Nothing here is
written on the intake path. What the worker derives from an event (one `Delivery` per webhook
subscription and per staff e-mail) is written in one transaction with the mark's advance.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from stations.models import Union


class EventType(models.TextChoices):
    CASE_CREATED = "case.created", _("New case")
    CASE_ASSIGNED = "case.assigned", _("Case assigned")
    CASE_ESCALATED = "case.escalated", _("Case escalated")
    CASE_TRANSFERRED = "case.transferred", _("Case transferred")
    CASE_OVERDUE = "case.overdue", _("Case overdue")
    CASE_RESOLVED = "case.resolved", _("Case resolved")
    CASE_RATED = "case.rated", _("Case rated")
    FACILITY_PROBLEM = "facility.problem_reported", _("Facility problem reported")


class EmailKind(models.TextChoices):
    """What a staff member can be e-mailed about, and turn off (EmailOptOut)."""

    CASE_CREATED = "case.created", _("New case in my union")
    CASE_ASSIGNED = "case.assigned", _("Case assigned to me")
    CASE_ESCALATED = "case.escalated", _("Case escalated to my union")
    CASE_OVERDUE = "case.overdue", _("Case overdue")
    LOW_RATING = "case.rated_low", _("Low rating from a worker")
    DIGEST = "digest", _("Daily digest")


class SubscriptionQuerySet(models.QuerySet):
    def register(
        self, url: str, events: list[str], union: Union | None = None, secret: str = ""
    ) -> tuple[Subscription, str]:
        """Check and save a new webhook; returns it and its secret (generated if none given),
        which the caller shows this once."""
        secret = secret or secrets.token_urlsafe(32)
        sub = self.model(url=url.strip(), secret=secret, events=events, union=union)
        sub.full_clean()
        sub.save()
        return sub, secret


class Subscription(models.Model):
    """A webhook: where to POST which events, for one union's cases or for all (union empty)."""

    url = models.URLField(_("webhook URL"), max_length=500)
    # Kept to sign each body; the admin and the command never show it after creation.
    secret = models.CharField(_("signing secret"), max_length=200)
    events = models.JSONField(_("event types"), default=list, help_text=_("Event types, e.g. case.created"))
    union = models.ForeignKey(
        Union, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("union concerned"), help_text=_("Empty: cases of every union"),
    )
    is_active = models.BooleanField(_("webhook active"), default=True)
    # Set by the worker after NOTIFY_PAUSE_AFTER failures in a row; its deliveries wait, kept,
    # until someone resumes it in the admin.
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        from notify.targets import check_webhook_url

        check_webhook_url(self.url)
        unknown = sorted(set(self.events or []) - set(EventType.values))
        if not self.events or unknown:
            raise ValidationError({"events": _("Choose events from: %(known)s%(unknown)s") % {
                "known": ", ".join(EventType.values),
                "unknown": f" (unknown: {', '.join(unknown)})" if unknown else "",
            }})
        if len(self.secret) < 16:
            raise ValidationError({"secret": _("A secret needs at least 16 characters")})

    def wants(self, event_type: str) -> bool:
        return event_type in self.events

    def covers(self, case: Case) -> bool:
        """A union's subscription hears of the cases it handles and of those in its area."""
        if self.union_id is None:
            return True
        if case.assigned_union_id == self.union_id:
            return True
        return case.area is not None and case.area.path.startswith(self.union.area.path)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be delivered")
    DELIVERED = "delivered", _("delivered")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None) -> DeliveryQuerySet:
        """Pending deliveries whose time has come, except those of a paused or inactive webhook."""
        return self.filter(
            Q(subscription__isnull=True)
            | Q(subscription__is_active=True, subscription__paused_at__isnull=True),
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now or timezone.now(),
        )


class Delivery(models.Model):
    """One event for one receiver (a webhook, or a staff member's e-mail address), delivered at
    least once. `event_id` is the event's own id: every receiver of one event gets the same, on
    every retry, so it can drop duplicates."""

    event_id = models.UUIDField(_("event id"), db_index=True)
    event_type = models.CharField(_("event type"), max_length=40)
    # The case by id and reference, not a foreign key: the log outlives demo cases that
    # `load_demo --remove` deletes, and must not stop it.
    case_pk = models.BigIntegerField(_("case id"), null=True, blank=True)
    case_reference = models.CharField(_("case reference"), max_length=32, blank=True)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries",
        verbose_name=_("webhook"),
    )
    recipient = models.EmailField(_("e-mail recipient"), blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("delivery status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's claim query (notify.deliver.claim): due pending deliveries, oldest first.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="notify_delivery_due"
            ),
        ]
        constraints = [
            # One delivery per event and receiver, however often the dispatcher or sweep runs
            # over the same event (at-least-once upstream, exactly-once fan-out).
            models.UniqueConstraint(
                fields=["event_id", "subscription"], condition=Q(subscription__isnull=False),
                name="notify_delivery_once_per_webhook",
            ),
            models.UniqueConstraint(
                fields=["event_id", "recipient"], condition=Q(subscription__isnull=True),
                name="notify_delivery_once_per_email",
            ),
            models.CheckConstraint(
                condition=Q(subscription__isnull=False) ^ ~Q(recipient=""),
                name="notify_delivery_one_receiver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.subscription or self.recipient}"

    def backoff(self) -> timedelta:
        """Exponential: base, 2 x base, 4 x base ... capped (NOTIFY_RETRY_* settings)."""
        seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(self.attempts - 1, 0)
        return timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


class DeliveryAttempt(models.Model):
    """The delivery log: every try, its answer and when the next one is due."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(_("attempted at"))
    ok = models.BooleanField(_("succeeded"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error message"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Cursor(models.Model):
    """The dispatcher's high-water mark in the case events (see notify.dispatch)."""

    name = models.CharField(max_length=40, primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_event_id}"


class Deadline(models.TextChoices):
    RESPONSE = "response", _("response deadline")
    RESOLUTION = "resolution", _("resolution deadline")


class OverdueNotice(models.Model):
    """`case.overdue` emitted for this case and deadline. The unique constraint is what makes
    repeated sweeps emit it once; a reopened case has a new resolution deadline, so a new notice."""

    case_pk = models.BigIntegerField()  # not a foreign key, as in Delivery
    deadline = models.CharField(max_length=12, choices=Deadline.choices)
    due_at = models.DateTimeField()
    emitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_pk", "deadline", "due_at"], name="notify_overdue_once_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_pk} {self.deadline} {self.due_at:%Y-%m-%d %H:%M}"


class DigestRun(models.Model):
    """A union's daily digest was sent for this date (once, whichever worker gets there first)."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["union", "date"], name="notify_digest_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} {self.date}"


class EmailOptOut(models.Model):
    """A staff member turned off one kind of e-mail for themselves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("e-mail kind"), max_length=40, choices=EmailKind.choices)

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notify_email_opt_out_once"),
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values), name="notify_email_opt_out_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} − {self.kind}"

