"""Production: every secret from the environment, nothing demo."""

from django.core.exceptions import ImproperlyConfigured

from portal.env import BENCH_RUN_VARIABLE, bench_run

from .base import *  # noqa: F403
from .base import env

# Raised rate limits belong to benchmark runs only (settings.base); a production that
# inherited the variable from a shell or a copied .env must not start with them.
if bench_run():
    raise ImproperlyConfigured(
        f"{BENCH_RUN_VARIABLE} is for benchmarks only and must not be set in production"
    )

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in e-mails must reach the real site, never the development default.
SITE_URL = env("SITE_URL")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
SAMSPIL_CREATE_DEMO_USERS = False
# Required: comma-separated Fernet keys (newest first) and the blind-index HMAC key.
CPR_ENCRYPTION_KEYS = env.list("CPR_ENCRYPTION_KEYS")
CPR_BLIND_INDEX_KEY = env("CPR_BLIND_INDEX_KEY")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production sits behind one TLS-terminating proxy (see SECURE_PROXY_SSL_HEADER): without this
# every client would share the proxy's address in the rate limits (portal.core.ratelimit).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# CACHES stays local memory (settings.base): with several worker processes, point it at a
# shared cache (the database cache after `createcachetable`) so that rate limits hold.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
