"""Suite-wide test defaults (root level so that both yiti/ and e2e/ get them)."""

import pytest


@pytest.fixture(autouse=True)
def _login_hardening_defaults(settings):
    """Most tests log in with force_login/admin_client and test something else than the login.

    The second factor and the forced first-password change are switched off for them; the tests in
    yiti/security switch them back on (the production defaults are on, see settings.py).
    """
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = False


@pytest.fixture(autouse=True)
def _background_tasks_inline(settings):
    """Background tasks (large imports) run at once in tests; production uses the database worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploads, job side files and evidence go to the test's own folder, never to var/media (which
    `make demo` serves): a test's upload may hold made-up ID numbers, and no test sees another's files."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Production hashes passwords with PBKDF2 at a million rounds: about 0.3 s per login, user or password change.

    The suite creates and logs in thousands of users, so it hashes with MD5 instead; what the production hasher
    is stays pinned by yiti/security/tests/test_hasher.py, which reads the settings module itself.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _matching_index_in_a_temporary_folder(settings, tmp_path):
    """The matching index (yiti.matching.store) is built into the test's own folder and this process forgets it
    afterwards; edits are applied at every use (no 10-second wait between checks)."""
    settings.YITI_MATCHING_DIR = tmp_path / "matching"
    settings.YITI_MATCHING_REFRESH_SECONDS = 0
    yield
    from yiti.matching import store

    store.reset()


@pytest.fixture(autouse=True)
def _kept_state_forgotten():
    """What production keeps for minutes — a keyword's plan (yiti.core.search._PLANS), a user's dashboard figures
    (Django's cache, keyed by user id) — each test starts without: its tables are not the last test's, and an id
    reused by another test's user found that test's counties' figures (KeyError on the home page)."""
    from django.core.cache import cache

    from yiti.core import search

    search._PLANS.clear()
    cache.clear()
