from django.urls import path

from . import api, views

app_name = "quiz"

# A statement step is most of the traffic, and URLs are tried in order.
urlpatterns = [
    path("<slug:slug>/stelling/<int:number>/", views.statement, name="statement"),
    path("dag/<slug:slug>/stelling/<int:number>/", views.day_statement, name="day-statement"),
    path("", views.home, name="home"),
    path("methode/", views.methodology, name="methodology"),
    path("api/elections/", api.elections, name="api-elections"),
    path("api/elections/<slug:slug>/", api.election, name="api-election"),
    path("api/elections/<slug:slug>/match", api.match, name="api-match"),
    path("api/ballot-days/", api.ballot_days, name="api-ballot-days"),
    path("api/ballot-days/<slug:slug>/", api.ballot_day, name="api-ballot-day"),
    path("api/ballot-days/<slug:slug>/match", api.ballot_day_match, name="api-ballot-day-match"),
    path("dag/<slug:slug>/", views.day, name="day"),
    path("dag/<slug:slug>/rondes/", views.day_rounds, name="day-rounds"),
    path("dag/<slug:slug>/partijen/", views.day_parties, name="day-parties"),
    path("dag/<slug:slug>/resultaat/", views.day_result, name="day-result"),
    path("dag/<slug:slug>/gedeeld/", views.day_shared, name="day-shared"),
    path("dag/<slug:slug>/opnieuw/", views.day_restart, name="day-restart"),
    path("<slug:slug>/", views.election, name="election"),
    path("<slug:slug>/overzicht/", views.overview, name="overview"),
    path("<slug:slug>/partijen/", views.parties, name="parties"),
    path("<slug:slug>/extra/", views.tie_break, name="tie-break"),
    path("<slug:slug>/resultaat/", views.result, name="result"),
    path("<slug:slug>/gedeeld/", views.shared_result, name="shared"),
    path("<slug:slug>/opnieuw/", views.restart, name="restart"),
]
