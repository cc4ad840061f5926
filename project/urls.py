from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from project.health import PingView, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/ping/", PingView.as_view(), name="ping"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("stations.urls")),
    path("api/", include("cases.urls")),
    path("", include("maps.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

admin.site.site_header = "Waystation 驿站服务地图"
admin.site.site_title = "Waystation"
admin.site.index_title = "工会后台 Union back office"
