"""Case API: public intake, tracking and rating; staff list, detail, PATCH, transitions, stats."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from cases import export, stats
from cases.filters import CaseFilter
from cases.intake import ClientTokenReused, attach_photos, submit
from cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    Department,
    NotCaseHolder,
    StaffMember,
    TransitionNotAllowed,
)
from cases.permissions import IsStaffOrPlanner, IsUnionStaff
from cases.serializers import (
    AreaStatsSerializer,
    CaseAmendSerializer,
    CaseAreaSerializer,
    CaseDetailSerializer,
    CaseFeatureSerializer,
    CaseIntakeSerializer,
    CaseIntakeWithPhotosSerializer,
    CaseReceiptSerializer,
    DepartmentQuerySerializer,
    DepartmentSerializer,
    HandlerStatsSerializer,
    RatingSerializer,
    StatsPageSerializer,
    StatsQuerySerializer,
    TrackedCaseSerializer,
    TransitionSerializer,
)
from project.pagination import GeoJsonPagination
from project.schema import THROTTLED, TOKEN_HEADER
from project.throttles import throttle

# `?format=csv` on the case list and the statistics (CONTRACT.md "Staff additions").
CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR, description="`?format=csv`: UTF-8 with BOM, as an attachment"
)


class NoStoreMixin:
    """Personal data (a reporter's case and token, staff views of cases) is never kept by
    browsers or proxies: every response of the view says `Cache-Control: no-store`."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class NotHolder(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_holder"


@contextmanager
def domain_errors() -> Iterator[None]:
    """The model's refusals as API errors: a disallowed action is 409 with the allowed ones,
    a missing or wrong input is 400 naming the field, another union's case 403 naming its holder."""
    try:
        yield
    except NotCaseHolder as exc:
        field = "assignee" if exc.action == "assign" else "action"
        raise NotHolder({"errors": {field: [str(exc)]}, "assigned_union": exc.holder}) from None
    except TransitionNotAllowed as exc:
        raise Conflict(
            {"errors": {"action": [str(exc)]}, "status": exc.status, "allowed_actions": exc.allowed}
        ) from None
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from None


class CaseFeaturePagination(GeoJsonPagination):
    pass


class CsvFormatMixin:
    """`?format=csv` (CONTRACT.md "Staff additions"): the view streams CSV itself, while
    negotiation settles on JSON, so that a bad filter is still a JSON 400 naming the field."""

    def wants_csv(self) -> bool:
        return self.request.query_params.get("format") == "csv"

    def perform_content_negotiation(self, request, force=False):
        if request.query_params.get("format") == "csv":
            return (JSONRenderer(), JSONRenderer.media_type)
        return super().perform_content_negotiation(request, force)


def _with_events(queryset):
    events = CaseEvent.objects.order_by("created_at", "id")
    return queryset.prefetch_related(Prefetch("events", events), "photos")


class CaseViewSet(
    CsvFormatMixin,
    NoStoreMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Intake is public; everything else is the staff API over `Case.objects.visible_to(user)`,
    so another union's case is a 404 on every route."""

    lookup_field = "reference"
    filterset_class = CaseFilter
    pagination_class = CaseFeaturePagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_classes = {
        "create": CaseIntakeSerializer,
        "list": CaseFeatureSerializer,
        "partial_update": CaseAmendSerializer,
        "transitions": TransitionSerializer,
    }

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [IsUnionStaff()]

    def get_throttles(self):
        return [throttle("intake", anonymous_only=True)()] if self.action == "create" else []

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, CaseDetailSerializer)

    def get_queryset(self):
        cases = Case.objects.visible_to(self.request.user).with_places()
        if self.action != "list":
            cases = _with_events(cases)
        if self.request.query_params.get("ordering") == "urgency":
            return cases.by_urgency()  # the staff queue, as in the back office
        return cases.order_by("-created_at", "-id")

    @extend_schema(responses={
        (200, "application/json"): CaseFeatureSerializer(many=True),
        (200, "text/csv"): CSV_RESPONSE,
    }, parameters=[
        OpenApiParameter("format", str, enum=["json", "csv"], description=(
            "csv: every matching case (no pages), UTF-8 with BOM, streamed"
        )),
        OpenApiParameter("ordering", str, enum=["urgency"], description=(
            "urgency: overdue first, then open cases by deadline, then finished ones "
            "(default: newest first)"
        )),
    ])
    def list(self, request, *args, **kwargs):
        """Cases in your jurisdiction, newest first; `?format=csv` for the whole selection."""
        if self.wants_csv():
            return export.cases(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": CaseIntakeSerializer,
                 "multipart/form-data": CaseIntakeWithPhotosSerializer},
        responses={
            201: CaseReceiptSerializer, 200: CaseReceiptSerializer,
            409: OpenApiResponse(description="`client_token` already used for a different case"),
            **THROTTLED,
        },
    )
    def create(self, request, *args, **kwargs):
        """Submit a case (anyone). A retry with the same `client_token` and the same content gets
        the same case, 200; the token with other content is 409 (and no tracking token).
        As multipart/form-data it may carry up to 3 image files named `photos`."""
        multipart = request.content_type.startswith("multipart/")
        serializer_class = CaseIntakeWithPhotosSerializer if multipart else CaseIntakeSerializer
        intake = serializer_class(data=request.data, context=self.get_serializer_context())
        # Photos are checked and re-encoded here, before anything is written: a bad one is a
        # 400 naming `photos` and no case.
        intake.is_valid(raise_exception=True)
        values = dict(intake.validated_data)
        photos = values.pop("photos", [])
        staff = request.user if request.user.is_authenticated else None
        try:
            with domain_errors():
                if photos:
                    with transaction.atomic():
                        case, created = submit(**values, staff=staff)
                        if created:  # a retry of a case already stored brings no new photos
                            attach_photos(case, photos)
                else:
                    case, created = submit(**values, staff=staff)
        except ClientTokenReused as exc:
            raise Conflict({"errors": {"client_token": [str(exc)]}}) from None
        return Response(
            CaseReceiptSerializer(case).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=CaseAmendSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Attach or correct the location (`lat`/`lon`/`crs`, or `facility`), category,
        description, address."""
        case = self.get_object()
        amend = self.get_serializer(data=request.data)
        amend.is_valid(raise_exception=True)
        changes = dict(amend.validated_data)
        with domain_errors():
            if "assignee" in changes:
                case.assign(request.user, changes.pop("assignee"))
            case.amend(request.user, **changes)
        return self._detail(case)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer, 409: OpenApiResponse(description="not allowed now")},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        """accept, start, resolve (note = the answer), close, escalate, transfer (department),
        reject (note = the reason), reopen. 409 lists the actions the status allows."""
        case = self.get_object()
        step = self.get_serializer(data=request.data)
        step.is_valid(raise_exception=True)
        with domain_errors():
            case.perform(**step.validated_data, actor=request.user)
        return self._detail(case)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiResponse(description="the photo")})
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_id>[0-9]+)",
            url_name="photo")
    def photo(self, request, *args, photo_id: str, **kwargs):
        """A photo of a case in the staff member's jurisdiction (404 otherwise): the only way
        photos are read; they have no public URL."""
        case = self.get_object()
        photo = get_object_or_404(CasePhoto, case=case, pk=photo_id)
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response

    def _detail(self, case: Case) -> Response:
        # Read back without the visibility filter: a re-routed or escalated case may have left
        # the actor's jurisdiction, and the actor should still see what they just did.
        fresh = _with_events(Case.objects.with_places()).get(pk=case.pk)
        return Response(CaseDetailSerializer(fresh, context=self.get_serializer_context()).data)


class TrackedCaseMixin:
    """The reporter's access: reference and tracking token, or a 404 that tells nothing."""

    def tracked_case(self, reference: str, token: str | None) -> Case:
        case = Case.objects.with_places().filter(reference=reference).first()
        if case is None or not token or not secrets.compare_digest(case.tracking_token, token):
            raise NotFound(_("no case with this reference and token"))
        public = CaseEvent.objects.filter(public=True).order_by("created_at", "id")
        prefetch_related_objects(
            [case], Prefetch("events", public, to_attr="public_events"), "photos"
        )
        return case


def header_token(request) -> str | None:
    """The tracking token from the X-Tracking-Token header, which keeps it out of access logs
    (the pages send it so); `?token=` and a body `token` still work for clients of the contract."""
    return request.headers.get(TOKEN_HEADER) or None


@extend_schema(
    parameters=[
        OpenApiParameter("token", str, required=False,
                         description="tracking_token; prefer the X-Tracking-Token header"),
        OpenApiParameter(TOKEN_HEADER, str, OpenApiParameter.HEADER, required=False,
                         description="tracking_token"),
    ],
    responses={200: TrackedCaseSerializer, **THROTTLED},
)
class TrackView(NoStoreMixin, TrackedCaseMixin, generics.GenericAPIView):
    """Progress of a case for the reporter: status, due date, answer, public events."""

    permission_classes = [AllowAny]
    serializer_class = TrackedCaseSerializer
    throttle_classes = [throttle("tracking")]

    def get(self, request, reference: str):
        token = header_token(request) or request.query_params.get("token")
        case = self.tracked_case(reference, token)
        return Response(self.get_serializer(case).data)


class TrackedPhotoView(NoStoreMixin, TrackedCaseMixin, generics.GenericAPIView):
    """One of the reporter's own photos, for /track/: the token in the X-Tracking-Token header
    (the page fetches it and shows the bytes; an <img src> could not send the header)."""

    permission_classes = [AllowAny]
    throttle_classes = [throttle("tracking")]

    @extend_schema(
        parameters=[OpenApiParameter(TOKEN_HEADER, str, OpenApiParameter.HEADER, required=True)],
        responses={(200, "image/jpeg"): OpenApiResponse(description="the photo"), **THROTTLED},
    )
    def get(self, request, reference: str, photo_id: int):
        case = self.tracked_case(reference, header_token(request))
        photo = get_object_or_404(CasePhoto, case=case, pk=photo_id)
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response


class RatingView(NoStoreMixin, TrackedCaseMixin, generics.GenericAPIView):
    """The reporter rates the answer (1-5, once per answer); 1-2 reopens the case."""

    permission_classes = [AllowAny]
    serializer_class = RatingSerializer
    throttle_classes = [throttle("rating")]

    @extend_schema(
        parameters=[OpenApiParameter(TOKEN_HEADER, str, OpenApiParameter.HEADER, required=False,
                                     description="tracking_token, instead of `token` in the body")],
        responses={200: TrackedCaseSerializer, **THROTTLED},
    )
    def post(self, request, reference: str):
        rating = self.get_serializer(data=request.data, context={"token": header_token(request)})
        rating.is_valid(raise_exception=True)
        token = rating.validated_data["token"]
        case = self.tracked_case(reference, token)
        with domain_errors():
            case.rate(rating.validated_data["score"], rating.validated_data["comment"])
        case = self.tracked_case(reference, token)
        return Response(TrackedCaseSerializer(case).data)


@extend_schema(parameters=[StatsQuerySerializer], responses={
    (200, "application/json"): StatsPageSerializer, (200, "text/csv"): CSV_RESPONSE,
})
class CaseStatsView(CsvFormatMixin, generics.GenericAPIView):
    """Per area: received, resolved, one-time resolution rate, median and mean handling hours,
    overdue now, mean rating (definitions in `cases.stats`). `area` defaults to the union's own."""

    permission_classes = [IsStaffOrPlanner]
    serializer_class = AreaStatsSerializer

    def get(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        area, since, until = (query.validated_data.get(k) for k in ("area", "since", "until"))
        union = StaffMember.union_of(request.user)
        area = area or (union.area if union is not None else None)
        cases = stats.in_window(Case.objects.for_statistics(request.user), area, since, until)
        now = timezone.now()
        by_handler = query.validated_data["by"] == "assignee"
        rows = stats.per_assignee(cases, now) if by_handler else stats.per_area(cases, area, now)
        if self.wants_csv():
            if by_handler:
                return export.stats(rows, [("assignee_name", export.HANDLER)])
            return export.stats(stats.named(list(rows)))
        page = self.paginate_queryset(rows)
        serializer = HandlerStatsSerializer if by_handler else self.get_serializer_class()
        response = self.get_paginated_response(
            serializer(page if by_handler else stats.named(page), many=True).data
        )
        response.data = {
            "area": CaseAreaSerializer(area).data if area is not None else None,
            "since": since,
            "until": until,
            "total": self.get_serializer(
                {"area": getattr(area, "adcode", None), "name": getattr(area, "name", None),
                 **stats.total(cases, now)}
            ).data,
            **response.data,
        }
        return response


class DepartmentListView(generics.ListAPIView):
    """The departments a jurisdiction transfers cases to: those of `area` (default: the staff
    member's union's) and of the areas above it."""

    permission_classes = [IsUnionStaff]
    serializer_class = DepartmentSerializer

    @extend_schema(parameters=[DepartmentQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = DepartmentQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        area = query.validated_data.get("area")
        if area is None:
            union = StaffMember.union_of(self.request.user)
            return Department.objects.for_union(union).select_related("area")
        return Department.objects.for_area(area).select_related("area")
