"""The party contact's own pages (not the Django admin)."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("Partijronde")


def invitation(request, token):
    return HttpResponse("Uitnodiging")
