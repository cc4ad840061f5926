"""Typed readers for settings that come from the environment.

Each raises ImproperlyConfigured naming the variable, so a bad deployment fails at start-up
rather than on the first request that happens to touch the value.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list with at least one entry")
    return items


def env_secret(name: str, *, dev_default: str | None) -> str:
    """A secret from NAME or from the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                value = fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from None
    else:
        value = os.environ.get(name, "")
    if value:
        return value
    if dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


# EMAIL_URL schemes and the backend each selects.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def env_email(name: str, default: str) -> dict:
    """Django's EMAIL_* settings from one URL: console://, file:///var/mail/waystation,
    memory://, dummy://, smtp://host:25, smtp+tls://user:password@host:587 (STARTTLS),
    smtps://user:password@host:465 (TLS from the start); ?timeout=10 for SMTP."""
    value = os.environ.get(name) or default
    parts = urlsplit(value)
    backend = _EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in _EMAIL_BACKENDS)}; "
            f"got {value!r}"
        )
    settings = {"EMAIL_BACKEND": backend}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"{name} needs a directory: file:///path/to/dir")
        settings["EMAIL_FILE_PATH"] = parts.path
    elif parts.scheme.startswith("smtp"):
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} needs a host: smtp://host:port")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a bad port: {value!r}") from None
        query = parse_qs(parts.query)
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or {"smtps": 465, "smtp+tls": 587}.get(parts.scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtps",
        )
        if "timeout" in query:
            try:
                settings["EMAIL_TIMEOUT"] = float(query["timeout"][0])
            except ValueError:
                raise ImproperlyConfigured(f"{name}'s timeout must be a number") from None
    return settings
