"""`?ordering=urgency` on the staff case list: overdue first, then open by deadline, then done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_case, make_staff

LIST = reverse("cases:case-list")


@pytest.fixture
def staff(api, tree):
    api.force_authenticate(make_staff(tree.a.union))
    return api


def test_the_api_lists_by_urgency_on_request(staff, tree):
    now = timezone.now()
    done = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=30),
                     status="rejected")
    fresh = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=1))
    late = make_case(area=tree.a, union=tree.a.union, created_at=now - timedelta(days=9))

    urgent = staff.get(LIST, {"ordering": "urgency"}).json()["features"]
    newest = staff.get(LIST).json()["features"]

    assert [f["id"] for f in urgent] == [late.reference, fresh.reference, done.reference]
    assert [f["id"] for f in newest] == [fresh.reference, late.reference, done.reference]
