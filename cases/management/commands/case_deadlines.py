"""Report the cases overdue now, per union. Reads only, so a daily timer can run it any number of
times; exit status 0 whether or not anything is overdue."""

from __future__ import annotations

import json
from itertools import groupby

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.models import Case

UNASSIGNED = gettext_lazy("(unassigned)")


class Command(BaseCommand):
    help = "List the cases past their resolution deadline, grouped by assigned union."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON document, for scripts")

    def handle(self, *args, **options):
        now = timezone.now()
        rows = (
            Case.objects.overdue(now)
            .order_by("assigned_union__area__path", "assigned_union_id", "due_at")
            .values(
                "assigned_union_id", "assigned_union__name", "assigned_union__area__adcode",
                "reference", "status", "category", "due_at",
            )
        )
        report = []
        for _union, cases in groupby(rows, key=lambda row: row["assigned_union_id"]):
            cases = list(cases)
            report.append({
                "union": cases[0]["assigned_union__name"] or str(UNASSIGNED),
                "adcode": cases[0]["assigned_union__area__adcode"],
                "count": len(cases),
                "cases": [
                    {
                        "reference": case["reference"],
                        "status": case["status"],
                        "category": case["category"],
                        "due_at": case["due_at"].isoformat(),
                        "hours_overdue": round((now - case["due_at"]).total_seconds() / 3600, 1),
                    }
                    for case in cases
                ],
            })
        if options["json"]:
            document = {"at": now.isoformat(), "unions": report}
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        total = sum(entry["count"] for entry in report)
        self.stdout.write(
            ngettext("%(count)s overdue case at %(time)s", "%(count)s overdue cases at %(time)s", total)
            % {"count": total, "time": f"{timezone.localtime(now):%Y-%m-%d %H:%M %Z}"}
        )
        for entry in report:
            self.stdout.write(f"\n{entry['union']} [{entry['adcode'] or '-'}]: {entry['count']}")
            for case in entry["cases"]:
                self.stdout.write(
                    f"  {case['reference']}  {case['status']:<11} {case['category']:<18} "
                    + _("due %(due)s, %(hours)s h over") % {
                        "due": case["due_at"], "hours": case["hours_overdue"]
                    }
                )
