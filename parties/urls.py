from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("partij/", views.home, name="home"),
    path("partij/uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
