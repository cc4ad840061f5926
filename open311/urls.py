from django.urls import re_path

from open311 import views

app_name = "open311"

# Every GeoReport v2 method with both of its formats: `discovery.json`, `discovery.xml`, ...
FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^services/(?P<service_code>[^/]+?)" + FORMAT,
        views.ServiceDefinitionView.as_view(),
        name="service",
    ),
    re_path(r"^requests" + FORMAT, views.RequestListView.as_view(), name="requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+?)" + FORMAT,
        views.RequestDetailView.as_view(),
        name="request",
    ),
    # The photo has one format, JPEG; errors are JSON.
    re_path(
        r"^requests/(?P<service_request_id>[^/]+)/photo\.jpg$",
        views.RequestPhotoView.as_view(),
        name="request-photo",
    ),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, views.TokenView.as_view(), name="token"),
]
