"""The back office lists and opens every outreach record (the ledger is kept from the admin too)."""

from datetime import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from outreach.models import Pairing, ReceptionSession, Visit
from tests.factories import make_facility
from tests.outreach.builders import make_enterprise

pytestmark = pytest.mark.django_db


def test_every_outreach_admin_page_opens(client, tree):
    admin = get_user_model().objects.create_superuser("root", password="pw")
    firm = make_enterprise(tree.a, own_union=True)
    visit = Visit.objects.create(enterprise=firm, visited_on=timezone.localdate(), staff=admin,
                                 findings="f")
    station = make_facility(101.0, 1.0)
    session = ReceptionSession.objects.create(facility=station, repeat="weekly", weekday=2,
                                              starts=time(9), ends=time(10), host_name="h",
                                              host_role="town_head")
    pairing = Pairing.objects.create(facility=station, official_name="o", role="union_chair")
    client.force_login(admin)
    for obj in (firm, visit, session, pairing):
        meta = obj._meta
        assert client.get(reverse(f"admin:outreach_{meta.model_name}_changelist")).status_code == 200
        url = reverse(f"admin:outreach_{meta.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200
    union_url = reverse("admin:stations_union_change", args=[firm.union_id])
    assert client.get(union_url).status_code == 200
