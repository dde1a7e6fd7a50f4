import pytest
from django.urls import reverse

PASSWORD = "Qingshui-2026"


@pytest.fixture(autouse=True)
def _hardening_on(settings):
    settings.YITI_REQUIRE_SECOND_FACTOR = True
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = False  # tests that need the flag set it


@pytest.fixture
def make_user(django_user_model):
    def make(username="clerk", password=PASSWORD, **kw):
        return django_user_model.objects.create_user(username=username, password=password, **kw)

    return make


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def second_factor_off(settings):
    """For tests that use admin_client (a superuser logged in without a code) to check something else."""
    settings.YITI_REQUIRE_SECOND_FACTOR = False
