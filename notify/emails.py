"""E-mail to union staff: who gets which kind, and the text, rendered in the site's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import REOPENING_RATING, Case, CaseEvent, StaffMember
from notify.models import EmailKind


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


SUBJECTS = {
    EmailKind.CASE_CREATED: lambda ref: _("[Waystation] New case %(reference)s") % {"reference": ref},
    EmailKind.CASE_ASSIGNED: lambda ref: _("[Waystation] Case %(reference)s assigned to you")
    % {"reference": ref},
    EmailKind.CASE_ESCALATED: lambda ref: _("[Waystation] Case %(reference)s escalated to your union")
    % {"reference": ref},
    EmailKind.CASE_OVERDUE: lambda ref: _("[Waystation] Case %(reference)s is overdue")
    % {"reference": ref},
    EmailKind.LOW_RATING: lambda ref: _("[Waystation] Low rating for case %(reference)s")
    % {"reference": ref},
}


class Recipients:
    """Staff e-mail addresses per union and kind, read once per dispatcher pass."""

    def __init__(self) -> None:
        self._by_union: dict[tuple[int, str], list[str]] = {}

    def of_union(self, union_id: int | None, kind: str) -> list[str]:
        if union_id is None:
            return []
        key = (union_id, kind)
        if key not in self._by_union:
            self._by_union[key] = list(
                StaffMember.objects.filter(union_id=union_id, user__is_active=True)
                .exclude(user__email="")
                .exclude(user__email_opt_outs__kind=kind)
                .order_by("user__email")
                .values_list("user__email", flat=True)
                .distinct()
            )
        return self._by_union[key]

    def for_event(self, kind: str, event: CaseEvent) -> list[str]:
        low = event.to_value.isdigit() and int(event.to_value) <= REOPENING_RATING
        if kind == EmailKind.LOW_RATING and not low:
            return []
        if kind == EmailKind.CASE_ASSIGNED:
            return _assignee_email(event.to_value, kind)
        return self.of_union(event.case.assigned_union_id, kind)


def _assignee_email(value: str, kind: str) -> list[str]:
    """The staff member an `assignee` event names (by id or user name), unless they opted out."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(pk=int(value)) if value.isdigit() else users.filter(username=value)
    return list(users.exclude(email_opt_outs__kind=kind).values_list("email", flat=True)[:1])


def case_email(kind: str, case: Case, detail: str = "") -> Email:
    with translation.override(settings.LANGUAGE_CODE):
        due = formats.date_format(timezone.localtime(case.due_at), "DATETIME_FORMAT")
        lines = [
            _("Case: %(reference)s") % {"reference": case.reference},
            _("Category: %(category)s") % {"category": case.get_category_display()},
            _("Status: %(status)s") % {"status": case.get_status_display()},
            _("Union: %(union)s") % {"union": case.assigned_union or "-"},
            _("Resolve by: %(due)s") % {"due": due},
        ]
        if detail:
            lines.append(detail)
        lines += ["", _("Open it in the back office: %(url)s") % {"url": admin_url(case)}]
        return Email(SUBJECTS[kind](case.reference), "\n".join(lines))


def digest_email(union_name: str, overdue: list[Case], waiting: list[Case]) -> Email:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Waystation] Daily digest for %(union)s: %(overdue)d overdue, %(waiting)d waiting") % {
            "union": union_name, "overdue": len(overdue), "waiting": len(waiting),
        }
        lines = [_("Overdue cases:")]
        lines += [f"  {c.reference}  {admin_url(c)}" for c in overdue] or ["  " + _("(none)")]
        lines += ["", _("Cases nobody has taken on yet:")]
        lines += [f"  {c.reference}  {admin_url(c)}" for c in waiting] or ["  " + _("(none)")]
        return Email(subject, "\n".join(lines))


def admin_url(case: Case) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("admin:cases_case_change", args=[case.pk])
