"""Checking a webhook's URL: http(s), and not the service itself.

Loopback and private addresses are allowed on purpose (a union's SMS gateway often sits on its
own network, CONTRACT.md "Integrations"); only the service's own origins are refused, so that an
event cannot be posted back into the API that raised it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def _host(name: str) -> str:
    name = name.lower().strip("[]")
    return "loopback" if name in LOOPBACK or name.startswith("127.") else name


def _origin(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return None
    return _host(parts.hostname), port


def own_origins() -> set[tuple[str, int]]:
    """The service's own (host, port)s: SITE_URL, the CSRF-trusted origins, and its public host
    names from ALLOWED_HOSTS on the standard ports."""
    origins = {_origin(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]}
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith(".") and _host(host) != "loopback":
            origins |= {(_host(host), 80), (_host(host), 443)}
    return {origin for origin in origins if origin is not None}


def check_webhook_url(url: str) -> None:
    """Raises ValidationError({"url": ...}) for a URL the worker must not post to."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ValidationError({"url": _("A webhook URL must start with http:// or https://")})
    origin = _origin(url.strip())
    if origin is None:
        raise ValidationError({"url": _("A webhook URL needs a host name and a valid port")})
    if origin in own_origins():
        raise ValidationError({"url": _("A webhook cannot point at this service itself")})
