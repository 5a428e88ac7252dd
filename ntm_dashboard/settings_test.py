"""Test settings: the base settings with a throw-away key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")
# The test client speaks plain HTTP; production settings are checked in tests/ops/test_deploy.py.
os.environ.setdefault("HTTPS", "false")
# The demo loaders and factories live in the development-only app.
os.environ.setdefault("NTM_DEV_DATA", "true")

from ntm_dashboard.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests pin the engine's own queries; reports/tests/test_cache.py turns the cache on.
NTM_CACHE_SUMMARIES = False
