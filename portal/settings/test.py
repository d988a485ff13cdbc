"""The test suite: fast hashing, local memory cache, mail kept in memory."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-samspil"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No rate limits: the whole suite shares one client address and one cache, so limits would
# fail tests by their order. tests/core/test_rate_limits.py switches them on where tested.
RATE_LIMITS = {}
SAMSPIL_CREATE_DEMO_USERS = env.bool("SAMSPIL_CREATE_DEMO_USERS", default=True)
# NOT SECRET, tests only: fixed keys so that the suite runs without configuration.
CPR_ENCRYPTION_KEYS = env.list(
    "CPR_ENCRYPTION_KEYS", default=["c2Ftc3BpbC10ZXN0LW9ubHktbm90LXNlY3JldC1rZXk="]
)
CPR_BLIND_INDEX_KEY = env("CPR_BLIND_INDEX_KEY", default="test-only-not-secret-samspil-blind-index-key")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run inside the request that queues them; tests of the database queue switch the backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
