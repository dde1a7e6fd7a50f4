import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_chinese_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_home_shows_counts_grouped_by_database(admin_client):
    from yiti.needs.testing import make_need

    make_need()
    html = admin_client.get(reverse("home")).content.decode()
    for label in ("人才库", "需求库", "成果库", "企业需求"):
        assert label in html


@pytest.mark.django_db
def test_pages_link_only_local_assets(admin_client):
    html = admin_client.get(reverse("needs:need_list")).content.decode()
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


@pytest.mark.django_db
def test_lookup_of_an_unknown_model_is_404(admin_client):
    assert admin_client.get(reverse("lookup", args=["nope.model"])).status_code == 404
    assert admin_client.get(reverse("lookup", args=["core.division"])).status_code == 404
