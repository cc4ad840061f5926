"""Employers at intake, through a hook: cases never imports the app that keeps enterprises.

A worker may name their employer (统一社会信用代码, or an id from the report page's search). The
app that keeps enterprises (outreach) registers a resolver in its AppConfig.ready(); intake asks
it to turn what was given into an `Employer`. With no resolver registered no employer is known,
and intake refuses `employer` as unknown rather than silently routing by location.

Why a hook and not a foreign key on Case: `FK("outreach.Enterprise")` would make cases depend on
outreach (the dependency runs project <- stations <- cases <- outreach). The case keeps the
employer's credit code as text; the employer's own union is an ordinary `stations.Union`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stations.models import Union


@dataclass(frozen=True)
class Employer:
    credit_code: str
    name: str
    # Its own workplace union (单位工会), with `parent` and `parent.area` loaded; None if it has none.
    union: Union | None


Resolver = Callable[[str], "Employer | None"]

_resolver: Resolver | None = None


def register_resolver(resolver: Resolver | None) -> None:
    global _resolver
    _resolver = resolver


def resolve(value: str) -> Employer | None:
    """The employer `value` names (credit code or id), or None if no such employer is known."""
    return _resolver(value) if _resolver is not None else None
