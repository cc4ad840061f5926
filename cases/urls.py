from django.urls import path
from rest_framework.routers import SimpleRouter

from cases import views

app_name = "cases"

router = SimpleRouter()
# case-list (GET staff, POST public), case-detail (GET, PATCH), case-transitions (POST)
router.register("cases", views.CaseViewSet, basename="case")

urlpatterns = [
    # Before the router, whose case-detail pattern would otherwise take "stats" for a reference.
    path("cases/stats/", views.CaseStatsView.as_view(), name="case-stats"),
    path("cases/track/<str:reference>/", views.TrackView.as_view(), name="case-track"),
    path("cases/track/<str:reference>/rating/", views.RatingView.as_view(), name="case-rating"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("cases/track/<str:reference>/photos/<int:photo_id>/", views.TrackedPhotoView.as_view(),
         name="case-track-photo"),
    *router.urls,
]
