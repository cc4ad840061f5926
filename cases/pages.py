"""Pages for workers: `/report/` (a complaint, with photos, answered by a receipt) and `/track/`
(the reporter follows and rates the case). Both are thin: the page posts to the same API as
every other channel (`POST /api/cases/`, `GET /api/cases/track/...`)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from cases.models import Category, Status
from cases.photos import MAX_BYTES, MAX_PHOTOS
from stations.models import Facility


@require_safe
@ensure_csrf_cookie  # a signed-in staff member's POST needs the token; the public's does not
def report(request: HttpRequest) -> HttpResponse:
    facility = None
    if (facility_id := request.GET.get("facility", "")).isdigit():
        facility = Facility.objects.filter(pk=int(facility_id)).only("id", "name").first()
    category = request.GET.get("category", "")
    config = {
        "intakeUrl": reverse("cases:case-list"),
        "trackUrl": reverse("cases:track"),
        "nearestUrl": reverse("stations:facility-nearest"),
        "areasUrl": reverse("stations:area-lookup"),
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "tilesCrs": settings.MAP_TILES_CRS,
        "maxPhotos": MAX_PHOTOS,
        "maxBytes": MAX_BYTES,
        "facility": {"id": facility.pk, "name": facility.name} if facility else None,
    }
    return render(request, "cases/report.html", {
        "categories": Category.choices,
        "category": category if category in Category.values else "",
        "config": config,
        # ws.drawn shifts the phone's WGS84 fix onto GCJ-02 tiles when those are configured.
        "ws_labels": {"tilesCrs": settings.MAP_TILES_CRS},
    })


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    # Reference and token come from the fragment or the form and are sent by the script in a
    # header: they never reach this view or the access log.
    config = {
        "trackUrl": reverse("cases:case-track", args=["REFERENCE"]),
        "ratingUrl": reverse("cases:case-rating", args=["REFERENCE"]),
        "labels": {
            "statuses": {k: str(v) for k, v in Status.choices},
            "categories": {k: str(v) for k, v in Category.choices},
        },
    }
    return render(request, "cases/track.html", {"config": config})
