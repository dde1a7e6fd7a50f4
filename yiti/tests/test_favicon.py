"""Every page names its icon, so the browser does not ask for /favicon.ico (a 404 in every console)."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_login_page_and_the_pages_after_it_name_an_icon_that_exists(client, admin_user, settings):
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    assert finders.find("yiti/favicon.svg")
    login = client.get(reverse("login")).content.decode()
    client.force_login(admin_user)
    home = client.get(reverse("home")).content.decode()
    for page in (login, home):
        assert 'rel="icon"' in page and "yiti/favicon.svg" in page
