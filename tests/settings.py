"""Test settings: the real settings module, read from the same environment variables,
with the few changes tests need (plain HTTP test client, fast hashing, no manifest)."""

import os

os.environ.setdefault("SHAHRAK_HTTPS", "false")
os.environ.setdefault("SHAHRAK_DEBUG", "false")
os.environ.setdefault("SHAHRAK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from shahrak.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run at once, inside the request that enqueues them (one test runs a real worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
