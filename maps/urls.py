from django.urls import path

from maps import views

app_name = "maps"

urlpatterns = [
    path("find/", views.find, name="find"),
    path("maps/facilities/", views.facility_map, name="facility-map"),
    path("maps/heatmap/", views.heatmap, name="heatmap"),
    path("maps/gaps/", views.gap_map, name="gap-map"),
    path("api/gaps/", views.GapCellsView.as_view(), name="gap-cells"),
    path("api/gaps/sites/", views.GapSitesView.as_view(), name="gap-sites"),
]
