"""`manage.py case_deadlines`: the cases overdue now, per union; reads only."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseEvent
from tests.factories import make_case


@pytest.fixture
def overdue(tree):
    ago = timezone.now() - timedelta(days=12)
    return {
        "a1": make_case(area=tree.a, union=tree.a.union, created_at=ago, status="accepted"),
        "a2": make_case(area=tree.a, union=tree.a.union, created_at=ago, status="reopened"),
        "b1": make_case(area=tree.b, union=tree.b.union, created_at=ago),
        "nobody": make_case(created_at=ago),
        # not overdue: resolved in time, transferred out, or still within the deadline
        "done": make_case(area=tree.a, union=tree.a.union, created_at=ago, status="resolved",
                          resolution="ok", resolved_at=ago + timedelta(days=1)),
        "fresh": make_case(area=tree.b, union=tree.b.union),
    }


def _run(*args) -> str:
    out = StringIO()
    call_command("case_deadlines", *args, stdout=out)
    return out.getvalue()


def test_it_reports_overdue_cases_per_union(overdue):
    report = json.loads(_run("--json"))

    per_union = {entry["union"]: {c["reference"] for c in entry["cases"]}
                 for entry in report["unions"]}
    assert per_union == {
        "A区总工会": {overdue["a1"].reference, overdue["a2"].reference},
        "B区总工会": {overdue["b1"].reference},
        "（未分派）": {overdue["nobody"].reference},
    }
    counts = {entry["union"]: entry["count"] for entry in report["unions"]}
    assert counts["A区总工会"] == 2
    assert all(c["hours_overdue"] > 0 for e in report["unions"] for c in e["cases"])


def test_the_text_report_names_each_union_and_case(overdue):
    text = _run()

    assert text.startswith("截至 ") and "超期诉求 4 件" in text.splitlines()[0]
    assert "A区总工会" in text and overdue["b1"].reference in text
    assert overdue["done"].reference not in text and overdue["fresh"].reference not in text


def test_it_is_read_only_and_repeatable(overdue):
    before = (Case.objects.count(), CaseEvent.objects.count(),
              list(Case.objects.values_list("status", "updated_at")))

    first, second = _run("--json"), _run("--json")

    assert json.loads(first)["unions"] == json.loads(second)["unions"]
    assert before == (Case.objects.count(), CaseEvent.objects.count(),
                      list(Case.objects.values_list("status", "updated_at")))


def test_nothing_overdue_is_a_short_report(db):
    assert "超期诉求 0 件" in _run().splitlines()[0]
