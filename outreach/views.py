"""Outreach API: enterprises, the visit ledger, reception days, reviews (staff); dashboards
(anyone). Thin: querysets, serializers and the modules reviews/dashboard do the work."""

from __future__ import annotations

import csv

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from cases.permissions import IsUnionStaff
from cases.serializers import CaseReceiptSerializer
from outreach import dashboard, periods, reviews
from outreach.filters import EnterpriseFilter, PairingFilter, ReceptionSessionFilter
from outreach.models import (
    Enterprise,
    Pairing,
    ReceptionSession,
    Visit,
    VisitIssue,
    jurisdiction_of,
)
from outreach.responses import DashboardSerializer, ReviewSerializer
from outreach.serializers import (
    EnterpriseSearchSerializer,
    EnterpriseSerializer,
    PairingSerializer,
    ReceptionSessionSerializer,
    ReviewQuerySerializer,
    SessionCaseSerializer,
    VisitSerializer,
)
from stations.models import Area


class EnterpriseViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprises in the staff member's jurisdiction; `search` (anyone) finds one by name."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    permission_classes = [IsUnionStaff]

    def get_permissions(self):
        return [AllowAny()] if self.action == "search" else super().get_permissions()

    def get_queryset(self):
        return (
            Enterprise.objects.visible_to(self.request.user)
            .select_related("area", "union", "owner").defer("area__boundary")
            .order_by("name", "id")
        )

    @extend_schema(responses=EnterpriseSearchSerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def search(self, request):
        """Up to 10 enterprises whose name contains `q` (2+ characters): the report page's
        employer field. Names only: the register itself is for staff."""
        q = request.query_params.get("q", "").strip()
        if len(q) < 2:
            return Response([])
        found = Enterprise.objects.filter(name__icontains=q).order_by("name")[:10]
        return Response(EnterpriseSearchSerializer(found, many=True).data)


class VisitViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The visit ledger. POST with `issues` [{category, description}] makes each a case
    (channel visit) linked to the visit, in one transaction with it."""

    serializer_class = VisitSerializer
    permission_classes = [IsUnionStaff]
    filterset_fields = ["enterprise", "visited_on"]

    def get_queryset(self):
        issues = VisitIssue.objects.select_related("case").only("visit_id", "case__reference")
        return (
            Visit.objects.visible_to(self.request.user)
            .select_related("staff")
            .prefetch_related(Prefetch("issues", issues))
            .order_by("-visited_on", "-id")
        )


class ReceptionSessionViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """Reception days (GET: anyone; POST, PATCH, DELETE: staff, at facilities in their
    jurisdiction: another's session is a 404). Each
    carries its next sitting (`next_start`, `next_end`, local time); `upcoming=true` keeps only
    those with one in the next 60 days, soonest first."""

    serializer_class = ReceptionSessionSerializer
    filterset_class = ReceptionSessionFilter

    def get_permissions(self):
        return [AllowAny()] if self.request.method in ("GET", "HEAD", "OPTIONS") else [
            IsUnionStaff()
        ]

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        sessions = (
            ReceptionSession.objects.select_related("facility__area")
            .defer("facility__open_minutes", "facility__area__boundary").order_by("id")
        )
        if self.request.method in ("GET", "HEAD", "OPTIONS") or self.request.user.is_superuser:
            return sessions
        area = jurisdiction_of(self.request.user)
        return sessions.in_area(area) if area is not None else sessions.none()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request.user.is_authenticated:
            context["jurisdiction"] = jurisdiction_of(self.request.user)
        return context

    def list(self, request, *args, **kwargs):
        # The next sitting is wall-clock arithmetic (outreach.models.ReceptionSession), done
        # here over the filtered sessions rather than in SQL: a facility has a handful.
        sessions = list(self.filter_queryset(self.get_queryset()))
        now = timezone.now()
        for session in sessions:
            session.next = session.next_occurrence(now)
        if request.query_params.get("upcoming") in ("true", "1"):
            sessions = sorted((s for s in sessions if s.next), key=lambda s: s.next.start)
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=SessionCaseSerializer, responses={201: CaseReceiptSerializer})
    @action(detail=True, methods=["post"], serializer_class=SessionCaseSerializer)
    def cases(self, request, pk=None):
        """A case taken at this session (channel reception_day), linked to it."""
        session = get_object_or_404(self.get_queryset(), pk=pk)
        intake = SessionCaseSerializer(data=request.data)
        intake.is_valid(raise_exception=True)
        case = intake.save_for(session, request.user)
        return Response(CaseReceiptSerializer(case).data, status=status.HTTP_201_CREATED)


class PairingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Officials paired with stations (工会主席结对驿站), for the station page and /find/:
    public, filters `facility` and `area`. Kept in the admin."""

    serializer_class = PairingSerializer
    permission_classes = [AllowAny]
    filterset_class = PairingFilter
    queryset = Pairing.objects.order_by("facility_id", "id")


def review_for(request, query: ReviewQuerySerializer) -> dict:
    data = query.validated_data
    area = data.get("area") or jurisdiction_of(request.user)
    if area is None:
        raise NotFound("area")
    today = timezone.localdate()
    if "since" in data:
        start, end = data["since"], data["until"]
    else:
        start, end = periods.window(data["period"], data.get("date") or today)
    return reviews.review(area, start, end, today)


def _review_json(result: dict) -> dict:
    area = result["area"]
    return {
        **result,
        "area": {"adcode": area.adcode, "name": area.name},
        "start": result["start"].isoformat(),
        "end": result["end"].isoformat(),
        "staff": [
            {**s, "weeks": [{**w, "week": w["week"].isoformat()} for w in s["weeks"]]}
            for s in result["staff"]
        ],
    }


class CSVRenderer(BaseRenderer):
    """Lets DRF accept `?format=csv`; the view writes the CSV itself (review_csv)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only errors reach a renderer (a 400 asked for as CSV): they stay JSON, and say so.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = JSONRenderer.media_type
        return JSONRenderer().render(data)


@extend_schema(
    parameters=[ReviewQuerySerializer],
    responses={
        (200, "application/json"): ReviewSerializer,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="`?format=csv`: reviews.CSV_COLUMNS, UTF-8 with BOM, as an attachment",
        ),
        404: OpenApiResponse(description="no such area in your jurisdiction, or none given "
                                         "and you have no jurisdiction"),
    },
)
class ReviewView(generics.GenericAPIView):
    """Visits per staff member and week (against the union's weekly target), enterprises
    visited, key enterprises not visited this quarter, issues raised and solved and the 化解率,
    per sub-area. `?format=csv` for a spreadsheet (UTF-8 with BOM)."""

    permission_classes = [IsUnionStaff]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request):
        query = ReviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        area = query.validated_data.get("area")
        own = jurisdiction_of(request.user)
        if area is not None and not request.user.is_superuser and (
            own is None or not area.path.startswith(own.path)
        ):
            raise NotFound("area")
        result = review_for(request, query)
        if request.accepted_renderer.format == "csv":
            return review_csv(result)
        return Response(_review_json(result))


def review_csv(result: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"review-{result['area'].adcode}-{result['start']}-{result['end']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(response)
    writer.writerow(reviews.CSV_COLUMNS)
    writer.writerows(reviews.csv_rows(result))
    return response


@extend_schema(
    responses={200: DashboardSerializer, 404: OpenApiResponse(description="no such adcode")},
)
class DashboardView(generics.GenericAPIView):
    """A jurisdiction's public figures over the last 12 months: no personal data, counts under
    5 shown as "<5" (outreach.dashboard)."""

    permission_classes = [AllowAny]

    def get(self, request, adcode: str):
        area = Area.objects.defer("boundary").filter(adcode=adcode).first()
        if area is None:
            raise NotFound("area")
        return Response(dashboard.figures(area))
