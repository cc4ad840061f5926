from __future__ import annotations

import json

from django.db import IntegrityError, router, transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import (
    SAFE_METHODS,
    AllowAny,
    BasePermission,
    DjangoModelPermissions,
)
from rest_framework.response import Response
from rest_framework.views import APIView

from project.pagination import GeoJsonPagination
from project.schema import THROTTLED
from project.throttles import throttle
from stations import jurisdiction
from stations.checkins import check_in
from stations.checkins import summary as checkin_summary
from stations.filters import FacilityFilter
from stations.models import Facility
from stations.nearest import nearest
from stations.serializers import (
    CheckInSerializer,
    FacilityDetailSerializer,
    FacilitySerializer,
    NearestQuerySerializer,
    nearest_feature_collection,
    plain_nearest_query,
)

# Which field a violated database rule is about, for the rare write that passes validation and
# still fails in the database (a concurrent edit): a 400 on that field, never a 500.
CONSTRAINT_FIELDS = {
    "facility_meal_price_min_lte_max": "meal_price_max",
    "facility_meal_price_only_canteen": "meal_price_min",
    "facility_sockets_only_charging_point": "sockets",
    "facility_sockets_non_negative": "sockets",
    "facility_battery_swap_only_charging_point": "battery_swap",
    "stations_facility_external_id_key": "external_id",
}


def integrity_error_detail(exc: IntegrityError) -> dict[str, list[str]]:
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    field = CONSTRAINT_FIELDS.get(constraint, "non_field_errors")
    return {field: [_("violates the rule {rule}").format(rule=constraint or "of the database")]}


class IsStaffOrReadOnly(BasePermission):
    """Anyone reads; only staff accounts change the catalogue."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class FacilityWritePermission(DjangoModelPermissions):
    """Writes as in the admin: the model permission for the method (add, change, delete
    facility), and only facilities inside the staff member's jurisdiction (where the facility
    is now; where it is moved to is checked as input, a 400 on `location`)."""

    authenticated_users_only = False  # reading stays public (IsStaffOrReadOnly)

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or jurisdiction.covers(request.user, obj.location)


class FacilityPagination(GeoJsonPagination):
    pass


class FacilityViewMixin:
    queryset = Facility.objects.select_related("area", "operator__area")
    serializer_class = FacilitySerializer
    # Reading is public; DjangoModelPermissions lets safe methods through for anyone only with
    # an authentication check, so staff-only writes come first.
    permission_classes = [IsStaffOrReadOnly, FacilityWritePermission]

    def get_serializer_context(self) -> dict:
        # One "now" per request, so every row's is_open_now is judged at the same moment.
        return {**super().get_serializer_context(), "now": timezone.now()}

    def perform_create(self, serializer: FacilitySerializer) -> None:
        self._save(serializer)

    def perform_update(self, serializer: FacilitySerializer) -> None:
        self._save(serializer)

    def _save(self, serializer: FacilitySerializer) -> None:
        location = serializer.validated_data.get("location")
        if location is not None and not jurisdiction.covers(self.request.user, location):
            raise ValidationError({"location": [jurisdiction.OUTSIDE]})
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError as exc:
            raise ValidationError(integrity_error_detail(exc)) from None


class FacilityListView(FacilityViewMixin, generics.ListCreateAPIView):
    """Facilities as a paginated FeatureCollection; staff add new ones with POST."""

    filterset_class = FacilityFilter
    pagination_class = FacilityPagination


class FacilityDetailView(FacilityViewMixin, generics.RetrieveUpdateDestroyAPIView):
    """One facility as a Feature, with what a rider reads before going (`details`) and today's
    check-ins; staff change it with PATCH or remove it with DELETE."""

    http_method_names = ["get", "patch", "delete", "head", "options"]
    serializer_class = FacilityDetailSerializer

    def perform_destroy(self, instance: Facility) -> None:
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(
                {"non_field_errors": [_("other records still refer to this facility")]}
            ) from None


class NearestFacilitiesView(APIView):
    """The facilities nearest to a point, nearest first, exact in metres (`distance_m`)."""

    # Public and read-only: skipping authentication saves the session lookup on the hottest
    # endpoint (see docs/performance-nearest.md).
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[NearestQuerySerializer],
        responses={200: OpenApiResponse(description=(
            "GeoJSON FeatureCollection, nearest first; each Feature's properties carry "
            "distance_m (metres on the WGS84 ellipsoid) and is_open_now."
        ))},
    )
    def get(self, request) -> Response:
        query = NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(self.search(query.validated_data), status=status.HTTP_200_OK)

    def dispatch(self, request, *args, **kwargs):
        """Plainly valid searches are answered here, without DRF's request wrapping, content
        negotiation and serializer: together about half of the endpoint's Python time (see
        docs/performance-nearest.md). The answer is what `get` would send, byte for byte:
        JSONRenderer's compact UTF-8 JSON with the same headers. Everything else (bad
        parameters, other methods, a client that does not take JSON, the browsable API when
        DEBUG is on) goes through DRF as before."""
        if request.method == "GET" and len(self.renderer_classes) == 1 and _takes_json(request):
            params = plain_nearest_query(dict(request.GET.lists()))
            if params is not None:
                body = json.dumps(self.search(params), ensure_ascii=False, allow_nan=False,
                                  separators=(",", ":")).encode()
                response = HttpResponse(body, content_type="application/json")
                response["Allow"] = ", ".join(self.allowed_methods)
                return response
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def search(params: dict) -> dict:
        # stations.nearest directly, on the database the router picks for reads: the same call
        # as Facility.objects.nearest without building a queryset per search.
        rows = nearest(
            params["point"], params["limit"], params.get("radius"),
            kind=params.get("kind"), amenities=params.get("amenity", ()),
            open_only=params["open_now"], at=timezone.now(), using=router.db_for_read(Facility),
        )
        return nearest_feature_collection(rows)


def _takes_json(request) -> bool:
    """Whether DRF's negotiation would pick its JSON renderer (the only one in production)."""
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    return "*/*" in accept or "application/json" in accept or "application/*" in accept


DATETIME = serializers.DateTimeField()  # DRF's format and zone, as in every other response


class CheckInView(APIView):
    """"I am here" (anyone): counts a visit and confirms the place is open; one per device,
    facility and hour (a repeat answers 200 and is not counted), rate-limited per address."""

    # Anonymous by design; no session, so no CSRF token is needed from the facility page.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [throttle("checkin")]

    @extend_schema(request=CheckInSerializer, responses={201: OpenApiResponse(description=(
        "counted: {counted, checkins_today, last_confirmed_at}; 200 when this device already "
        "checked in here this hour")), **THROTTLED})
    def post(self, request, pk: int) -> Response:
        facility = get_object_or_404(Facility.objects.only("id"), pk=pk)
        body = CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        now = timezone.now()
        counted = check_in(facility, body.validated_data["device"], now)
        totals = checkin_summary(facility, now)
        return Response(
            {"counted": counted, "checkins_today": totals.checkins_today,
             "last_confirmed_at": DATETIME.to_representation(totals.last_confirmed_at)},
            status=status.HTTP_201_CREATED if counted else status.HTTP_200_OK,
        )
