"""One union per province, city and district, each with a demo staff account."""

import pytest
from django.contrib.auth import get_user_model

from cases.models import StaffMember
from demo.spec import DEMO_PASSWORD
from stations.models import Area, Union

pytestmark = pytest.mark.django_db


def test_it_gives_every_province_city_and_district_a_named_union(small_demo):
    for area in Area.objects.all():
        union = Union.objects.get(area=area)
        assert union.name == f"{area.name}总工会"
        assert union.phone and area.name in union.address
    assert Union.objects.get(area__adcode="330411").name == "秀洲区总工会"


def test_it_gives_every_union_a_staff_account_that_can_log_in(small_demo, client):
    hashes = set()
    # Area unions; the demo's workplace unions (outreach.demo, no area) have no account.
    for union in Union.objects.filter(is_demo=True, area__isnull=False):
        # The union's own account (越城's 23 visiting staff are members too: outreach.demo).
        member = StaffMember.objects.get(union=union, user__username__regex=r"^demo-\d+$")
        assert member.is_demo
        assert member.user.username == f"demo-{union.area.adcode}"
        assert member.user.is_staff and not member.user.is_superuser
        hashes.add(member.user.password)
    # one shared password, hashed once (a hash takes about a second by design)
    assert len(hashes) == 1
    assert client.login(username="demo-330411", password=DEMO_PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_it_lets_demo_staff_see_cases_in_the_admin(small_demo):
    user = get_user_model().objects.get(username="demo-330411")
    assert user.has_perm("cases.view_case") and user.has_perm("stations.change_facility")
    assert not user.has_perm("stations.delete_area")
