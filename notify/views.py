from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import StaffMember
from notify.models import EmailKind, EmailOptOut, Subscription
from notify.serializers import EmailPreferencesSerializer, WebhookSerializer


class EmailPreferencesView(APIView):
    """The e-mail kinds a staff member gets: `off` lists those they turned off for themselves."""

    permission_classes = [IsAdminUser]

    @extend_schema(responses=EmailPreferencesSerializer)
    def get(self, request):
        return Response(self._state(request.user))

    @extend_schema(request=EmailPreferencesSerializer, responses=EmailPreferencesSerializer)
    def put(self, request):
        prefs = EmailPreferencesSerializer(data=request.data)
        prefs.is_valid(raise_exception=True)
        off = set(prefs.validated_data["off"])
        with transaction.atomic():
            EmailOptOut.objects.filter(user=request.user).exclude(kind__in=off).delete()
            EmailOptOut.objects.bulk_create(
                [EmailOptOut(user=request.user, kind=kind) for kind in off], ignore_conflicts=True
            )
        return Response(self._state(request.user))

    def _state(self, user) -> dict:
        off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        return {
            "off": sorted(off),
            "kinds": [{"kind": k, "label": str(label), "on": k not in off} for k, label in EmailKind.choices],
        }


class WebhookListView(generics.ListCreateAPIView):
    """Webhooks of the staff member's union (all, for a superuser). POST answers with the
    secret, once; a union's staff can only subscribe their own union."""

    permission_classes = [IsAdminUser]
    serializer_class = WebhookSerializer
    pagination_class = None

    def get_queryset(self):
        subs = Subscription.objects.select_related("union__area").order_by("pk")
        if self.request.user.is_superuser:
            return subs
        union = StaffMember.union_of(self.request.user)
        return subs.filter(union=union) if union is not None else subs.none()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not request.user.is_superuser:
            union = StaffMember.union_of(request.user)
            if union is None:
                return Response(
                    {"errors": {"union": [_("Only a union's staff can add webhooks")]}},
                    status=status.HTTP_403_FORBIDDEN,
                )
            serializer.validated_data["union"] = union
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)
