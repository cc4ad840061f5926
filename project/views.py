"""Pages that belong to the whole service rather than one app."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe


def optional_url(name: str) -> str | None:
    """The URL of a route that may not be installed yet (e.g. the workers' pages), else None."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_safe
def home(request):
    """The front door: what the service is and the way in for each kind of visitor."""
    return render(request, "home.html", {
        "report_url": optional_url("cases:report"),
        "track_url": optional_url("cases:track"),
    })
