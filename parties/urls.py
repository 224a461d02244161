from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("partij/", views.home, name="home"),
    path("partij/inloggen/", views.login_view, name="login"),
    path("partij/uitloggen/", views.logout_view, name="logout"),
    path("partij/indienen/", views.submit, name="submit"),
    path("partij/programma/", views.programmes, name="programmes"),
    path("partij/stelling/<int:statement_id>/", views.statement, name="statement"),
    path("partij/stelling/<int:statement_id>/reactie/", views.reply, name="reply"),
    path("partij/uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
