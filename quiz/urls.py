from django.urls import path

from . import api, views

app_name = "quiz"

# A statement step is most of the traffic, and URLs are tried in order.
urlpatterns = [
    path("<slug:slug>/stelling/<int:number>/", views.statement, name="statement"),
    path("", views.home, name="home"),
    path("methode/", views.methodology, name="methodology"),
    path("api/elections/", api.elections, name="api-elections"),
    path("api/elections/<slug:slug>/", api.election, name="api-election"),
    path("api/elections/<slug:slug>/match", api.match, name="api-match"),
    path("<slug:slug>/", views.election, name="election"),
    path("<slug:slug>/overzicht/", views.overview, name="overview"),
    path("<slug:slug>/partijen/", views.parties, name="parties"),
    path("<slug:slug>/extra/", views.tie_break, name="tie-break"),
    path("<slug:slug>/resultaat/", views.result, name="result"),
    path("<slug:slug>/gedeeld/", views.shared_result, name="shared"),
    path("<slug:slug>/opnieuw/", views.restart, name="restart"),
]
