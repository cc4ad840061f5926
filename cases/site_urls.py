"""The cases app's routes from the site root: its API under /api/ (cases.urls) and the pages
for workers, /report/ and /track/, all in the one `cases` namespace (an include of a plain list
of patterns adds no namespace of its own)."""

from django.urls import include, path

from cases import pages
from cases.urls import urlpatterns as api_urlpatterns

app_name = "cases"

urlpatterns = [
    path("api/", include(api_urlpatterns)),
    path("report/", pages.report, name="report"),
    path("track/", pages.track, name="track"),
]
