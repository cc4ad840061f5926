"""Rate limits per scope, counted in the shared cache (settings.CACHES) across all workers.

Scopes and their rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (THROTTLE_<SCOPE>
in the environment; an empty value switches a scope off). A view names its scope:

    throttle_classes = [throttle("tracking")]

Over the limit the API answers 429 with Retry-After. Clients are counted by account when signed
in, else by address (behind NUM_PROXIES trusted proxies, the address they forwarded).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from django.core.cache import cache as default_cache
from django.utils import timezone
from rest_framework import throttling
from rest_framework.settings import api_settings

SCOPES = ("intake", "tracking", "rating", "checkin", "open311")


class ScopedThrottle(throttling.SimpleRateThrottle):
    """A fixed window per client: the first request opens a window of the rate's period, and
    the N+1st request within it is refused until it ends (Retry-After says when).

    Not DRF's sliding window, which reads and writes a list of timestamps (two cache round
    trips and a pickle per request): with the database cache one atomic statement counts the
    hit (`DatabaseCache.count_hit`). The price is that a client can spend a window's allowance
    at its end and the next at the start of the next one.
    """

    scope: str
    # Not DRF's key: its entries hold a pickled history, these a count.
    cache_format = "throttle-count:%(scope)s:%(ident)s"

    def __init__(self):  # the rate is read per request (below), not once at construction
        pass

    def allow_request(self, request, view) -> bool:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        hits, self.window_end = _count_hit(key, self.duration)
        return hits <= self.num_requests

    def wait(self) -> float:
        return max(1.0, (self.window_end - timezone.now()).total_seconds())

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _count_hit(key: str, window: int) -> tuple[int, datetime]:
    if hasattr(default_cache, "count_hit"):  # project.cache.DatabaseCache: one statement
        return default_cache.count_hit(key, window)
    # Redis and local memory: add() opens the window, incr() is atomic there.
    end_key = f"{key}:end"
    end = timezone.now() + timedelta(seconds=window)
    if default_cache.add(end_key, end, window):
        default_cache.set(key, 0, window)
    return default_cache.incr(key), default_cache.get(end_key, end)


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
