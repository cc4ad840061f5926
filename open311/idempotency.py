"""Retries: Open311 submissions are idempotent per key, device and client token."""

from __future__ import annotations

import hashlib

from open311.models import ApiKey

NAMESPACE = "open311:"


def client_token_for(key: ApiKey, device_id: str, client_token: str) -> str | None:
    """The intake `client_token` of a submission, or None when the client gave no token.

    Namespaced by key and device, so one system's token can neither collide with another's nor
    fetch another's case (a retry returns the case and its tracking token). Hashed to fit the
    column whatever the lengths sent."""
    if not client_token:
        return None
    digest = hashlib.sha256(f"{key.pk}\x00{device_id}\x00{client_token}".encode()).hexdigest()
    return NAMESPACE + digest
