import pytest
from django.templatetags.static import static

from tests.pages import parse


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == static("favicon.svg")


@pytest.mark.django_db
def test_every_page_names_its_icon(client):
    links = parse(client.get("/").content).select("link")
    icons = [link.attrs["href"] for link in links if link.attrs.get("rel") == "icon"]
    assert icons == [static("favicon.svg")]
