"""No case is left unowned: intake from every channel gives it a union, old cases without one
get it from the migration, and so every case is visible to some union's staff."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client

from cases.intake import submit
from cases.models import Case, CaseEvent, Channel, StaffMember
from open311.models import ApiKey
from tests.factories import make_case, make_facility, make_staff
from tests.open311.helpers import B_POINT
from tests.open311.helpers import submit as open311_submit

from .helpers import post_case

migration = importlib.import_module("cases.migrations.0010_cases_without_union")


def assert_every_case_is_seen_by_some_union_staff():
    staff = [m.user for m in StaffMember.objects.select_related("user")]
    assert staff and not any(user.is_superuser for user in staff)
    for case in Case.objects.all():
        assert any(Case.objects.visible_to(user).filter(pk=case.pk).exists() for user in staff), (
            case.reference
        )


def test_every_channel_gives_the_case_an_owner(api, tree):
    for union in (tree.a.union, tree.b.union, tree.c.union, tree.p.union):
        make_staff(union)
    facility = make_facility(103.5, 1.5)
    post_case(api, lat=1, lon=101)  # a point
    post_case(api, facility=facility.pk)  # a facility
    post_case(api, area=tree.e.adcode)  # an area without a union: the one above (P) takes it
    submit(category="other", description="311", channel=Channel.OPEN311, point=Point(103, 1))
    key = ApiKey.issue("市民热线平台")[1]
    by_311 = open311_submit(Client(), key, **B_POINT)  # Open311 over HTTP
    unplaced_311 = open311_submit(Client(), key, lat=None, long=None)
    officer = make_staff(tree.c.union)
    api.force_authenticate(officer)
    post_case(api, channel="hotline")  # staff intake without a place: the staff's union
    api.force_authenticate(None)
    refused = post_case(api, channel="online")  # public intake without a place: refused

    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["location"]
    assert by_311.status_code == 201 and unplaced_311.status_code == 400
    assert Case.objects.count() == 6
    assert not Case.objects.filter(assigned_union__isnull=True).exists()
    assert_every_case_is_seen_by_some_union_staff()


def test_the_migration_gives_old_cases_an_owner_and_reverses(tree, settings):
    settings.DEFAULT_INTAKE_AREA = tree.c.adcode
    make_staff(tree.c.union)
    make_staff(tree.a.union)
    by_area = make_case(area=tree.a)  # an area, no union
    officer = make_staff(tree.b.union)
    by_staff = make_case()
    CaseEvent.objects.create(case=by_staff, kind="created", actor=officer, to_value="received",
                             created_at=by_staff.created_at)
    by_default = make_case()  # neither: the default intake area's union

    migration.give_owners(apps, connection.schema_editor())

    for case in (by_area, by_staff, by_default):
        case.refresh_from_db()
    assert by_area.assigned_union == tree.a.union
    assert (by_staff.assigned_union, by_staff.area) == (tree.b.union, tree.b)
    assert (by_default.assigned_union, by_default.area) == (tree.c.union, tree.c)
    assert_every_case_is_seen_by_some_union_staff()

    migration.take_back(apps, connection.schema_editor())

    by_area.refresh_from_db()
    by_default.refresh_from_db()
    assert by_area.assigned_union is None and by_area.area == tree.a
    assert by_default.assigned_union is None and by_default.area is None


def test_a_superuser_is_not_what_makes_a_case_visible(tree):
    get_user_model().objects.create_superuser("root", password="pw")
    make_staff(tree.a.union)
    make_case(area=tree.a, union=tree.a.union)
    assert_every_case_is_seen_by_some_union_staff()
    make_case()  # an unowned case only a superuser could see
    with pytest.raises(AssertionError):
        assert_every_case_is_seen_by_some_union_staff()
