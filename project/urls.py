from django.contrib import admin
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from project.health import PingView, healthz
from project.views import home

# The catalogue changes only with a deploy: cache it (per language, by the Vary the view sends).
STARTED = timezone.now()

urlpatterns = [
    path("", home, name="home"),
    path(
        "jsi18n/",
        cache_page(86400)(last_modified(lambda request: STARTED)(JavaScriptCatalog.as_view())),
        name="javascript-catalog",
    ),
    path("healthz", healthz, name="healthz"),
    path("api/ping/", PingView.as_view(), name="ping"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Each includes its API under api/ and its pages for people (/s/{id}/, /report/, /track/).
    path("", include("stations.site_urls")),
    path("", include("cases.site_urls")),
    path("api/", include("notify.urls")),
    path("", include("maps.urls")),
    path("open311/v2/", include("open311.urls")),
    path("", include("outreach.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "project.errors.bad_request"
handler404 = "project.errors.not_found"
handler500 = "project.errors.server_error"

admin.site.site_header = _("Waystation")
admin.site.site_title = _("Waystation")
admin.site.index_title = _("Union back office")
