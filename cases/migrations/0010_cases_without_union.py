"""Every case has an owner: give the cases that came in without a union one.

Before intake required a location, a facility or an area, a public case without any of them was
stored with no area and no union, and no staff account could see it (000000-2026-002606). Each
gets, in this order, the union responsible for its area, else the union of the staff member who
took it in, else the union of settings.DEFAULT_INTAKE_AREA; a case without an area gets that
union's area too, so the jurisdiction filter (by area) finds it. Each change is an assignment
event marked with MARK, which the reverse reads to undo exactly these changes (the events stay:
the log is append-only).
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

MARK = "migration 0010: case without a union"
AREA_TOO = " (area too)"


def _responsible(Union, area):
    codes = [code for code in area.path.split("/") if code] or [area.adcode]
    return Union.objects.filter(area__adcode__in=codes).select_related("area").order_by(
        "-area__depth"
    ).first()


def give_owners(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    StaffMember = apps.get_model("cases", "StaffMember")
    Union = apps.get_model("stations", "Union")
    Area = apps.get_model("stations", "Area")
    default_area = (
        Area.objects.filter(adcode=settings.DEFAULT_INTAKE_AREA).first()
        if settings.DEFAULT_INTAKE_AREA else None
    )
    default = _responsible(Union, default_area) if default_area is not None else None
    now = timezone.now()
    for case in Case.objects.filter(assigned_union__isnull=True).select_related("area"):
        union = _responsible(Union, case.area) if case.area_id else None
        if union is None:
            created = CaseEvent.objects.filter(case=case, actor__isnull=False).order_by("id")
            actor_id = created.values_list("actor_id", flat=True).first()
            member = StaffMember.objects.filter(user_id=actor_id).select_related("union").first()
            union = member.union if member is not None else None
        union = union or default
        if union is None:
            continue  # nothing to give: no area, no staff, no default configured
        note = MARK
        case.assigned_union = union
        if case.area_id is None:
            # A workplace union (单位工会) has no area: the area it works in is its parent's.
            case.area = union.area if union.area_id is not None else union.parent.area
            note += AREA_TOO
        case.save(update_fields=["assigned_union", "area"])
        CaseEvent.objects.create(
            case=case, kind="assignment", actor_label="system", from_value="",
            to_value=union.name[:255], note=note, public=False, created_at=now,
        )


def take_back(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for event in CaseEvent.objects.filter(note__startswith=MARK):
        changes = {"assigned_union": None}
        if event.note.endswith(AREA_TOO):
            changes["area"] = None
        Case.objects.filter(pk=event.case_id).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_assignee_and_department"),
        ("stations", "0004_union_workplace_parent"),
    ]

    operations = [migrations.RunPython(give_owners, take_back)]
