"""A GeoReport submission through the one intake every channel uses (`cases.intake.submit`),
with what Open311 brings besides the case kept beside it."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from cases.intake import submit
from cases.models import Case, Channel, LocationSource
from open311.models import ApiKey, Open311Request
from open311.serializers import reporter_name
from stations.models import Area

NAMESPACE = "open311:"


def receive(
    key: ApiKey, service_code: str, area: Area | None, data: dict[str, Any]
) -> tuple[Case, bool, Open311Request | None]:
    """Create (or, for a retry, find) the case of a checked submission; returns
    (case, created, its Open311 extras). One transaction: the case and its extras, or neither."""
    point = data["point"]
    with transaction.atomic():
        case, created = submit(
            category=service_code,
            description=data["description"],
            channel=Channel.OPEN311,
            point=point,
            location_source=LocationSource.GPS if point is not None else "",
            facility=data["facility"],
            area=area if point is None else None,
            address=data["address_string"].strip(),
            reporter_name=reporter_name(data["first_name"], data["last_name"]),
            reporter_phone=data["phone"],
            client_token=client_token_for(key, data["device_id"], data["client_token"]),
        )
        if created:
            extra = Open311Request.objects.create(
                case=case, api_key=key, device_id=data["device_id"],
                account_id=data["account_id"], email=data["email"], media_url=data["media_url"],
            )
        else:
            extra = Open311Request.objects.filter(case=case).first()
    return case, created, extra


def client_token_for(key: ApiKey, device_id: str, client_token: str) -> str | None:
    """The intake `client_token` of a submission, or None when the client gave no token.

    Namespaced by key and device, so one system's token can neither collide with another's nor
    fetch another's case (a retry returns the case and its tracking token). Hashed to fit the
    column whatever the lengths sent."""
    if not client_token:
        return None
    digest = hashlib.sha256(f"{key.pk}\x00{device_id}\x00{client_token}".encode()).hexdigest()
    return NAMESPACE + digest
