from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("api/elections/<slug:slug>/stats", views.election_stats, name="api-election-stats"),
    path(
        "api/elections/<slug:slug>/stats/releases",
        views.election_releases,
        name="api-election-releases",
    ),
]
