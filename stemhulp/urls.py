from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Stemhulp – redactie"
admin.site.site_title = "Stemhulp"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("stats.urls")),
    path("", include("quiz.urls")),
]

handler400 = "stemhulp.views.bad_request"
handler404 = "stemhulp.views.page_not_found"
handler500 = "stemhulp.views.server_error"
