"""Where a staff account may change things: the area of the union it works for, and below.

The link from an account to its union (`StaffMember`) belongs to the cases app; it is read here
through the reverse relation `Union.staff`, so this app imports nothing from `cases`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from stations.models import Area, Union

OUTSIDE = _("This place is outside your union's area.")

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def staff_union(user: AbstractBaseUser | AnonymousUser) -> Union | None:
    """The union a staff account works for, or None. Shares the per-request cache of
    `cases.models.StaffMember.union_of`."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cases_union"):
        user._cases_union = (
            Union.objects.select_related("area").defer("area__boundary")
            .filter(staff__user_id=user.pk).first()
        )
    return user._cases_union


def bounds(user: AbstractBaseUser | AnonymousUser) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the user's jurisdiction (None: no union)."""
    union = staff_union(user)
    if union is None:
        return None
    home = union.home_area
    extent = Area.objects.filter(pk=home.pk).aggregate(e=Extent("boundary"))["e"]
    return list(extent) if extent else None


def covers(user: AbstractBaseUser | AnonymousUser, point: Point | None) -> bool:
    """Whether `point` lies in the user's jurisdiction. Superusers: everywhere; accounts without
    a union (planners): nowhere, as they change no catalogue."""
    if user.is_authenticated and user.is_superuser:
        return True
    union = staff_union(user)
    # A workplace union (单位工会) keeps no part of the catalogue: it has no area of its own.
    if union is None or point is None or union.is_workplace:
        return False
    return Area.objects.containing(point).filter(path__startswith=union.area.path).exists()
