"""`Authorization: Token KEY` for the staff API: the key acts with its union's jurisdiction."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from cases.models import UnionCredential
from open311.models import ApiKey

KEYWORD = b"token"
# Left to others: BasicAuthentication when API_BASIC_AUTH is on; otherwise a proxy's own Basic
# log-in (nginx auth_basic in front of a staging site) makes the browser send it on every request.
PASSED_ON = {b"basic"}


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates as the key's `UnionCredential`: `cases` then gives it exactly the union's
    jurisdiction (`StaffMember.union_of`), and the events it causes name the key. A key without a
    union authenticates but reaches no staff route (IsUnionStaff).

    Being first, it also judges every other `Authorization` header: one in a scheme nothing here
    understands (Bearer, a bare string) is refused, not ignored in favour of the session, so a
    client whose credentials are not what it thinks learns so instead of acting as someone else."""

    def authenticate(self, request) -> tuple[UnionCredential, ApiKey] | None:
        if "HTTP_AUTHORIZATION" not in request.META:
            return None
        parts = get_authorization_header(request).split()
        if parts and parts[0].lower() in PASSED_ON:
            return None
        if not parts or parts[0].lower() != KEYWORD:
            raise exceptions.AuthenticationFailed(
                _("unsupported authorization scheme; use: Token KEY")
            )
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Token header must be: Token KEY"))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("invalid or revoked API key")) from None
        key = ApiKey.objects.authenticate(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("invalid or revoked API key"))
        key.touch()
        return key.credential(), key

    def authenticate_header(self, request) -> str:
        return "Token"
