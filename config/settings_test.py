"""Test settings: the same as production-shaped settings, made fast."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run in the process that enqueues them, once its transaction commits
# (outbox.enqueue_send): a test that queues emails sends them when it says so.
# tests/test_worker.py runs real workers on the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests do not run collectstatic, so no manifest of hashed names exists.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Far above what any test sends (the fuzzing starts hundreds of attempts from
# one address), yet counted, so the counting runs under every test;
# tests/test_rate_limits.py sets the limits it checks.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, 1_000_000)  # noqa: F405
