"""Rate limits per scope, counted in the shared cache (settings.CACHES) across all workers.

Scopes and their rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (THROTTLE_<SCOPE>
in the environment; an empty value switches a scope off). A view names its scope:

    throttle_classes = [throttle("tracking")]

Over the limit the API answers 429 with Retry-After. Clients are counted by account when signed
in, else by address (behind NUM_PROXIES trusted proxies, the address they forwarded).
"""

from __future__ import annotations

from functools import cache

from django.core.cache import cache as default_cache
from rest_framework import throttling
from rest_framework.settings import api_settings

SCOPES = ("intake", "tracking", "rating", "checkin", "open311")


class ScopedThrottle(throttling.SimpleRateThrottle):
    scope: str

    # DRF reads the cache and the rates once, at import; read them per request instead, so a
    # changed setting (a test's override, a reloaded configuration) takes effect.
    @property
    def cache(self):
        return default_cache

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousScopedThrottle(ScopedThrottle):
    """Counts anonymous clients only: staff entering cases at a reception desk are accountable
    (and their login is locked out on guessing), so they are not held to a rate per address."""

    def get_cache_key(self, request, view) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


@cache
def throttle(scope: str, *, anonymous_only: bool = False) -> type[ScopedThrottle]:
    """The throttle class of `scope` (one of SCOPES)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown throttle scope {scope!r}; add it to project.throttles.SCOPES")
    base = AnonymousScopedThrottle if anonymous_only else ScopedThrottle
    return type(f"{scope.title()}Throttle", (base,), {"scope": scope})
