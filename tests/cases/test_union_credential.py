"""A machine credential acting for a union: its jurisdiction, and events that name it."""

from django.contrib.gis.geos import Point

from cases.models import Case, CaseEvent, StaffMember, UnionCredential

from .helpers import new_case


def test_it_sees_its_unions_jurisdiction_like_that_unions_staff(tree):
    ours = new_case(Point(101, 1, srid=4326))
    new_case(Point(103, 1, srid=4326))
    credential = UnionCredential(tree.c.union, "tool")

    assert StaffMember.union_of(credential) == tree.c.union
    assert set(Case.objects.visible_to(credential)) == set(Case.objects.in_area(tree.c))
    assert list(Case.objects.visible_to(UnionCredential(tree.a.union, "tool"))) == [ours]
    assert not Case.objects.visible_to(UnionCredential(None, "tool")).exists()
    assert not Case.objects.for_statistics(UnionCredential(None, "tool")).exists()


def test_its_events_have_no_account_and_carry_its_label(tree):
    case = new_case(Point(101, 1, srid=4326))

    case.accept(UnionCredential(tree.a.union, "api key ws_abc123 区平台"))

    event = CaseEvent.objects.get(case=case, kind="status")
    assert (event.actor_id, event.actor_label) == (None, "api key ws_abc123 区平台")
