"""Delivering: claim one due delivery, send it, log the attempt, schedule the retry.

The claim is `SELECT ... FOR UPDATE SKIP LOCKED` in a transaction that stays open while the
request is under way (at most NOTIFY_TIMEOUT_SECONDS): several workers never send one delivery at
once, and a worker killed mid-delivery leaves nothing half done. Its transaction dies with its
connection, the row is pending and unlocked again, and the next worker sends it (at least once:
the receiver may have seen it before the kill, and drops the repeat by its `id`).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notify.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscription

SIGNATURE_HEADER = "X-Waystation-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def post(url: str, secret: str, payload: dict, event_type: str) -> tuple[int | None, str]:
    """POST the signed JSON; returns (HTTP status or None, error text or ""). No redirects are
    followed: a receiver answers where it was registered, or the attempt failed."""
    body = body_of(payload)
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.hostname, parts.port, timeout=settings.NOTIFY_TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Waystation-Webhooks/1",
            SIGNATURE_HEADER: signature(secret, body),
            "X-Waystation-Event": event_type,
            "X-Waystation-Event-Id": payload["id"],
        })
        response = conn.getresponse()
        response.read(65536)
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    finally:
        conn.close()
    if 200 <= response.status < 300:
        return response.status, ""
    return response.status, f"HTTP {response.status} {response.reason}"[:500]


def send(delivery: Delivery) -> tuple[bool, int | None, str]:
    if delivery.subscription_id is not None:
        sub = delivery.subscription
        code, error = post(sub.url, sub.secret, delivery.payload, delivery.event_type)
        return not error, code, error
    try:
        send_mail(
            delivery.payload["subject"], delivery.payload["body"], None, [delivery.recipient]
        )
    except Exception as exc:  # noqa: BLE001 - any backend's failure is a failed attempt, retried
        return False, None, f"{type(exc).__name__}: {exc}"[:500]
    return True, None, ""


def deliver_one() -> bool:
    """Send the oldest due delivery, if any; returns whether there was one."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.due()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if delivery is None:
            return False
        started, at = time.monotonic(), timezone.now()
        ok, code, error = send(delivery)
        now = timezone.now()
        delivery.attempts += 1
        attempt = DeliveryAttempt(
            delivery=delivery, at=at, ok=ok, status_code=code, error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if ok:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                DeliveryStatus.DELIVERED, now, "",
            )
        else:
            delivery.next_attempt_at = attempt.next_attempt_at = now + delivery.backoff()
            delivery.last_error = error
        delivery.save(update_fields=[
            "status", "delivered_at", "last_error", "attempts", "next_attempt_at",
        ])
        attempt.save()
        if delivery.subscription_id is not None:
            _count(delivery.subscription_id, ok, now)
    return True


def _count(subscription_id: int, ok: bool, now: datetime) -> None:
    """Failures in a row per webhook; at NOTIFY_PAUSE_AFTER it is paused (shown in the admin,
    its deliveries kept) rather than retried for ever against a receiver that is gone."""
    subs = Subscription.objects.filter(pk=subscription_id)
    if ok:
        subs.exclude(consecutive_failures=0).update(consecutive_failures=0)
        return
    subs.update(consecutive_failures=F("consecutive_failures") + 1)
    subs.filter(
        consecutive_failures__gte=settings.NOTIFY_PAUSE_AFTER, paused_at__isnull=True
    ).update(paused_at=now)


def deliver_due(limit: int = 200) -> int:
    sent = 0
    while sent < limit and deliver_one():
        sent += 1
    return sent
