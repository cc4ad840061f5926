"""`/s/{id}/`: one facility's page, printed as a QR code at the place. Rendered on the server
from the same details the API gives (`stations.details`), so it works before any script runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from stations.checkins import summary
from stations.details import facility_details, freshness
from stations.models import Facility


@require_safe
def facility_page(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("operator"), pk=pk)
    now = timezone.now()
    checkins = summary(facility, now)
    config = {
        "checkinUrl": reverse("stations:facility-checkins", args=[facility.pk]),
        "facility": facility.pk,
    }
    return render(request, "stations/facility.html", {
        "facility": facility,
        "details": facility_details(facility, now),
        "checkins": checkins,
        "freshness": freshness(checkins.last_confirmed_at, now),
        "config": config,
    })
