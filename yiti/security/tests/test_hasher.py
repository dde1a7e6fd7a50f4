"""The suite hashes with MD5 for speed (root conftest.py); production must not."""

import os
from importlib import import_module

from django.conf import global_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils.module_loading import import_string


def test_production_hashes_passwords_with_pbkdf2_at_production_rounds():
    # The settings module as written (DJANGO_SETTINGS_MODULE), not the suite's override of it.
    production = import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    hashers = getattr(production, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    first = import_string(hashers[0])
    assert issubclass(first, PBKDF2PasswordHasher) or first.algorithm.startswith("argon2")
    assert first.iterations >= 1_000_000


def test_the_suite_itself_uses_the_fast_hasher(settings):
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
