"""Django's message storage (a cookie, then the session) with the cookie's signer made on first
use instead of on every request.

`MessageMiddleware` builds the storage for every request, and Django's `CookieStorage` builds a
signer in its constructor (imports the signer class, reads the keys): measured under load on the
nearest search, the largest cost of the whole middleware chain for a request that never reads or
writes a message (docs/performance-nearest.md). Behaviour is Django's.
"""

from __future__ import annotations

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core import signing
from django.utils.functional import cached_property


class LazyCookieStorage(CookieStorage):
    def __init__(self, *args, **kwargs):
        BaseStorage.__init__(self, *args, **kwargs)  # CookieStorage's would make the signer

    @cached_property
    def signer(self) -> signing.Signer:
        return signing.get_cookie_signer(salt=self.key_salt)


class MessageStorage(FallbackStorage):
    storage_classes = (LazyCookieStorage, SessionStorage)
