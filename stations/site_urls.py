"""The stations app's routes from the site root: its API under /api/ (stations.urls) and the
facility page /s/{id}/, all in the one `stations` namespace (an include of a plain list of
patterns adds no namespace of its own)."""

from django.urls import include, path

from stations import pages
from stations.urls import urlpatterns as api_urlpatterns

app_name = "stations"

urlpatterns = [
    path("api/", include(api_urlpatterns)),
    path("s/<int:pk>/", pages.facility_page, name="facility-page"),
]
