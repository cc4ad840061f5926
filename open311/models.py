"""API keys (the credential of other civic systems and of a union's own tools) and what an Open311
request brings beyond a case (device, account, e-mail, media link)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Case, UnionCredential
from stations.models import Union

KEY_PREFIX = "ws_"
# Characters of the key kept in clear, to tell keys apart in the admin and in logs.
SHOWN_LENGTH = len(KEY_PREFIX) + 6
# Writing the last use on every request would turn every read into a write; a minute is precise
# enough to see whether a key is still in use.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    """SHA-256 of the key. The keys are 256 random bits, so a slow password hash adds nothing:
    nobody can guess their way back from the digest. Lookup by digest also makes the comparison
    independent of how much of a wrong key matches."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True)

    def authenticate(self, raw: str | None) -> ApiKey | None:
        """The active key `raw` is, with its union and the union's area (not its boundary)."""
        if not raw:
            return None
        return (
            self.active()
            .select_related("union__area")
            .defer("union__area__boundary")
            .filter(key_hash=hash_key(raw))
            .first()
        )


class ApiKey(models.Model):
    name = models.CharField(pgettext_lazy("api key", "name"), max_length=100)
    prefix = models.CharField(
        pgettext_lazy("api key", "key begins with"), max_length=SHOWN_LENGTH, editable=False
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Without a union a key may submit requests; with one it also reads that union's
    # jurisdiction, in Open311 and as `Authorization: Token` on the staff API.
    union = models.ForeignKey(
        Union, on_delete=models.PROTECT, null=True, blank=True, related_name="api_keys",
        verbose_name=pgettext_lazy("api key", "union"),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("api key", "created"), default=timezone.now, editable=False
    )
    last_used_at = models.DateTimeField(
        pgettext_lazy("api key", "last used"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(
        pgettext_lazy("api key", "revoked"), null=True, blank=True, editable=False
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, union: Union | None = None) -> tuple[ApiKey, str]:
        """A new key; returns it with the raw key, which is shown once and never stored."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name, union=union, prefix=raw[:SHOWN_LENGTH], key_hash=hash_key(raw)
        )
        return key, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, now: datetime | None = None) -> None:
        ApiKey.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
        self.refresh_from_db(fields=["revoked_at"])

    def touch(self, now: datetime | None = None) -> None:
        """Record a use, at most once per LAST_USE_RESOLUTION (a conditional UPDATE, so two
        workers seeing a stale value write once)."""
        now = now or timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USE_RESOLUTION:
            return
        ApiKey.objects.filter(pk=self.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USE_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now

    def credential(self) -> UnionCredential:
        """What the key acts as: its union's jurisdiction, named in the events it causes."""
        return UnionCredential(self.union, label=f"api key {self.prefix} {self.name}"[:150])


class Open311Request(models.Model):
    """What a GeoReport v2 submission carries besides the case itself. Kept beside the case so
    that cases stay protocol-free; personal data here (e-mail) is never published."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="open311_request")
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name=_("API key")
    )
    device_id = models.CharField(pgettext_lazy("api key", "device id"), max_length=200, blank=True)
    account_id = models.CharField(pgettext_lazy("api key", "account id"), max_length=200, blank=True)
    email = models.EmailField(pgettext_lazy("api key", "reporter e-mail"), blank=True)
    # A link as the client sent it: stored, shown, never fetched by the server.
    media_url = models.URLField(pgettext_lazy("api key", "media link"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return str(self.case_id)
