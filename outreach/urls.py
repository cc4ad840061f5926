from django.urls import include, path
from rest_framework.routers import SimpleRouter

from outreach import pages, views

app_name = "outreach"

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("reception-days", views.ReceptionSessionViewSet, basename="reception-day")
router.register("pairings", views.PairingViewSet, basename="pairing")

urlpatterns = [
    path("api/reviews/", views.ReviewView.as_view(), name="reviews"),
    path("api/dashboard/<str:adcode>/", views.DashboardView.as_view(), name="dashboard-api"),
    path("api/", include(router.urls)),
    path("outreach/visits/", pages.visits_page, name="visits-page"),
    path("outreach/reviews/", pages.reviews_page, name="reviews-page"),
    path("dashboard/<str:adcode>/", pages.dashboard_page, name="dashboard"),
]
