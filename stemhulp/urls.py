from django.contrib import admin
from django.urls import include, path

from staff.forms import StaffLoginForm

from . import views

admin.site.site_header = "Stemhulp – redactie"
admin.site.site_title = "Stemhulp"
admin.site.login_form = StaffLoginForm

# The voter's pages first: they are most of the traffic, and URLs are tried in order.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("parties.urls")),
    path("", include("quiz.urls")),
    path("", include("stats.urls")),
    path("favicon.ico", views.favicon),
]

handler400 = "stemhulp.views.bad_request"
handler404 = "stemhulp.views.page_not_found"
handler500 = "stemhulp.views.server_error"
