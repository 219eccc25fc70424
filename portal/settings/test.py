"""Tests: the database comes from DATABASE_URL (PostgreSQL in CI), SQLite otherwise."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEMO_SYNTHETIC_RESPONSES = 25
# Background exports go to a scratch folder; tests that make them point this at their tmp_path.
PRIVATE_EXPORTS_ROOT = Path(tempfile.gettempdir()) / "portal-test-exports"  # noqa: F405
# Tasks run at once, within the test (outcome emails, Wagtail's reference index). Tests of the
# worker itself switch to base's database backend and run `db_worker` (test_export_admin.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
