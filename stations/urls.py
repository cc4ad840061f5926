from django.urls import path

from stations import area_views, views

app_name = "stations"

urlpatterns = [
    path("areas/", area_views.AreaLookupView.as_view(), name="area-lookup"),
    path("areas/<str:adcode>/", area_views.AreaDetailView.as_view(), name="area-detail"),
    path("facilities/", views.FacilityListView.as_view(), name="facility-list"),
    # listed before the detail route, so no id pattern can ever shadow it
    path("facilities/nearest/", views.NearestFacilitiesView.as_view(), name="facility-nearest"),
    path("facilities/<int:pk>/", views.FacilityDetailView.as_view(), name="facility-detail"),
    path("facilities/<int:pk>/checkins/", views.CheckInView.as_view(), name="facility-checkins"),
]
