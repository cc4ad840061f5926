"""make run calls load_demo every time: a second run is a quick no-op and never duplicates."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import Case, StaffMember
from demo.models import DemoLoad
from stations.models import Facility, Union

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.filter(is_demo=True).count() for m in (Facility, Case, Union, StaffMember)
    ]


def test_it_does_nothing_when_the_same_seed_and_scale_are_loaded(small_demo):
    before = _counts()
    out = StringIO()
    # The message is checked in English.
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert _counts() == before
    # savepoint (the test's transaction), lock, the DemoLoad row, the staff list, release
    assert len(queries) <= 5


def test_it_replaces_rather_than_adds_for_another_seed(small_demo):
    before = _counts()
    call_command("load_demo", "--seed", "2", stdout=StringIO())
    assert _counts() == before
    assert DemoLoad.objects.get().seed == 2
