"""The employer resolver intake calls through `cases.employers` (registered in apps.py)."""

from __future__ import annotations

from cases.employers import Employer
from outreach.creditcode import normalise
from outreach.models import Enterprise


def resolve_employer(value: str) -> Employer | None:
    """An enterprise by credit code, or by id (the report page's search hands ids): one query."""
    code = normalise(value)
    lookup = {"pk": int(code)} if code.isdigit() and len(code) < 18 else {"credit_code": code}
    enterprise = (
        Enterprise.objects.select_related("union__parent__area")
        .defer("location", "union__parent__area__boundary")
        .filter(**lookup)
        .first()
    )
    if enterprise is None:
        return None
    return Employer(enterprise.credit_code, enterprise.name, enterprise.union)
