from rest_framework.permissions import BasePermission

from cases.models import StaffMember


class IsUnionStaff(BasePermission):
    """The staff case API: superusers and accounts working for a union (which cases they see is
    `Case.objects.visible_to`)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user.is_authenticated and (user.is_superuser or StaffMember.union_of(user) is not None)
        )


class IsStaffOrPlanner(BasePermission):
    """Statistics: union staff, and planners (staff accounts without a union)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user.is_authenticated
            and (user.is_staff or user.is_superuser or StaffMember.union_of(user) is not None)
        )
