"""GeoReport v2 at /open311/v2/: each method as `.json` or `.xml` (the `format` in the path)."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from cases.models import Case
from open311 import georeport
from open311.models import ApiKey
from open311.renderers import (
    FormatSuffixNegotiation,
    GeoReportJSONRenderer,
    GeoReportXMLRenderer,
    georeport_errors,
)
from open311.serializers import RequestQuery, ServiceRequestInput
from open311.submission import receive
from stations.models import Area

INVALID_KEY = _("api_key is missing, invalid or revoked")
NO_PHOTOS = _("photos are shown only to a key of the union whose jurisdiction holds the request")


class KeyedThrottle(ScopedRateThrottle):
    """The `open311` rate per API key where a valid one is given (a civic system forwards many
    people's reports from one address), otherwise per client address."""

    def get_cache_key(self, request, view):
        key = getattr(view, "api_key", None)
        if key is None:
            return super().get_cache_key(request, view)
        return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}


@extend_schema(exclude=True)  # GeoReport v2 is its own specification, not this OpenAPI schema's
class GeoReportView(APIView):
    authentication_classes: list = []  # the key travels as `api_key`, as GeoReport defines
    permission_classes = [AllowAny]
    renderer_classes = [GeoReportJSONRenderer, GeoReportXMLRenderer]
    content_negotiation_class = FormatSuffixNegotiation
    throttle_classes = [KeyedThrottle]
    throttle_scope = "open311"
    xml_root = "service_requests"

    api_key: ApiKey | None = None
    key_given = False

    def get_exception_handler(self):
        return georeport_errors

    def check_throttles(self, request):
        # The key is read just before the throttle, which counts per key, and a bad one refused
        # after it, so that guessing keys is throttled too.
        raw = self.params().get("api_key")
        raw = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        self.key_given = bool(raw)
        self.api_key = ApiKey.objects.authenticate(raw) if raw else None
        super().check_throttles(request)
        if self.key_given and self.api_key is None:
            raise exceptions.PermissionDenied(INVALID_KEY)
        if self.api_key is not None:
            self.api_key.touch()

    def params(self) -> dict:
        """The query, and for POST the form body over it (GeoReport clients put `api_key` and
        `jurisdiction_id` in either)."""
        params = dict(self.request.query_params.items())
        if self.request.method == "POST":
            body = self.request.data
            if not isinstance(body, dict):
                raise exceptions.ValidationError(_("the body must be form fields or a JSON object"))
            params.update(body.items())
        return params

    def jurisdiction(self) -> Area | None:
        """`jurisdiction_id`: optional, empty the same as absent, otherwise an adcode."""
        code = str(self.params().get("jurisdiction_id") or "").strip()
        if not code:
            return None
        area = Area.objects.defer("boundary").filter(adcode=code).first()
        if area is None:
            raise exceptions.NotFound(
                {"jurisdiction_id": [_("no jurisdiction %(code)s") % {"code": code}]}
            )
        return area

    def photo_url(self, reference: str) -> str:
        # Without the key: a media_url is often stored or shown elsewhere, and the key is a
        # secret; the caller adds its `api_key` as to every other call.
        path = reverse("open311:request-photo", kwargs={"service_request_id": reference})
        return self.request.build_absolute_uri(path)


class DiscoveryView(GeoReportView):
    xml_root = "discovery"

    def get(self, request, format: str):
        base = request.build_absolute_uri("/open311/v2/")
        return Response({
            "changeset": georeport.CHANGESET,
            "contact": str(_("Union service hotline 12351")),
            "key_service": str(_("API keys are issued by the union's administrators.")),
            "endpoints": [{
                "specification": georeport.SPECIFICATION,
                "url": base,
                "changeset": georeport.CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }],
        })


class ServiceListView(GeoReportView):
    xml_root = "services"

    def get(self, request, format: str):
        self.jurisdiction()
        return Response(georeport.services())


class ServiceDefinitionView(GeoReportView):
    xml_root = "service_definition"

    def get(self, request, service_code: str, format: str):
        self.jurisdiction()
        return Response(georeport.service_definition(known_service(service_code)))


def known_service(code: str) -> str:
    if not code:
        raise exceptions.ValidationError({"service_code": [pgettext_lazy("open311", "required")]})
    if code not in georeport.service_codes():
        raise exceptions.NotFound({"service_code": [_("no service %(code)s") % {"code": code}]})
    return code


class RequestListView(GeoReportView):
    def get(self, request, format: str):
        area = self.jurisdiction()
        query = RequestQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        cases = georeport.readable_requests(self.api_key)
        if area is not None:
            cases = cases.in_area(area)
        if not q["service_request_id"]:
            for code in q["service_code"]:
                known_service(code)
        cases = georeport.matching(cases, **q)
        start = (q["page"] - 1) * q["page_size"]
        page = georeport.with_request_fields(cases, self.api_key)[start:start + q["page_size"]]
        return Response([georeport.as_service_request(case, self.photo_url) for case in page])

    def post(self, request, format: str):
        if self.api_key is None:
            raise exceptions.PermissionDenied(INVALID_KEY)
        params = self.params()
        code = known_service(str(params.get("service_code") or "").strip())
        area = self.jurisdiction()
        form = ServiceRequestInput(data=params, service_code=code, area=area)
        form.is_valid(raise_exception=True)
        case, created, extra = receive(self.api_key, code, area, form.validated_data)
        return Response(
            [{
                "service_request_id": case.reference,
                "token": case.tracking_token,
                "service_notice": "",
                "account_id": extra.account_id if extra is not None else "",
            }],
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RequestDetailView(GeoReportView):
    def get(self, request, service_request_id: str, format: str):
        area = self.jurisdiction()
        cases = georeport.readable_requests(self.api_key).filter(reference=service_request_id)
        if area is not None:
            cases = cases.in_area(area)
        case = georeport.with_request_fields(cases, self.api_key).first()
        if case is None:
            raise exceptions.NotFound(
                {"service_request_id": [_("no request %(id)s") % {"id": service_request_id}]}
            )
        return Response([georeport.as_service_request(case, self.photo_url)])


class RequestPhotoView(GeoReportView):
    """A request's first photo, the `media_url` a union's key is given: the same key, as
    `api_key` in the query, fetches it. Errors are GeoReport's JSON list."""

    def get(self, request, service_request_id: str):
        if self.api_key is None:
            raise exceptions.PermissionDenied(INVALID_KEY)
        if self.api_key.union_id is None:
            raise exceptions.PermissionDenied(NO_PHOTOS)
        photo = georeport.first_photo(self.api_key, service_request_id)
        if photo is None:
            # Another union's case and a case without photos look the same: nothing to find.
            raise exceptions.NotFound(
                {"service_request_id": [_("no photo for request %(id)s") % {"id": service_request_id}]}
            )
        return FileResponse(photo.image.open("rb"), content_type="image/jpeg")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"  # errors too: never kept by a proxy
        return response


class TokenView(GeoReportView):
    def get(self, request, token: str, format: str):
        self.jurisdiction()
        reference = Case.objects.filter(tracking_token=token).values_list("reference", flat=True)
        found = reference.first()
        if found is None:
            raise exceptions.NotFound({"token": [_("no request with this token")]})
        # Only the id: the token's holder reads the request itself through requests/{id}.
        return Response([{"service_request_id": found, "token": token}])
