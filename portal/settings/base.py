"""Settings shared by every environment.

Configuration comes only from environment variables, read in ``portal.env``.
``dev``, ``test`` and ``production`` override what differs.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from portal.env import BASE_DIR, bench_run, env

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Ours first, so that our templates override Wagtail's and Django's.
    "portal.accounts",
    "portal.audit",
    "portal.patients",
    "portal.outbox",
    "portal.correspondence",
    "portal.conferences",
    "portal.bookings",
    "portal.referrals",
    "portal.stays",
    "portal.feedback",
    "portal.events",
    "portal.support",
    "portal.outreach",
    "portal.quality",
    "content",
    "search",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",  # django-csp; as an app its system checks catch settings from before 4.0
    # Login security: lockout, two-factor, object-level rules.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Near the top, so that responses made by middleware (the 400 and 429 pages) carry it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.core.security.ContentSecurityPolicyMiddleware",
    "portal.core.security.PermissionsPolicyMiddleware",
    "portal.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.DanishFirstLocaleMiddleware",
    # After the locale, so that the 429 page is in the visitor's language.
    "portal.core.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.middleware.SessionLifetimeMiddleware",
    "portal.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.core.middleware.IncidentIdMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Writes (POST, PUT, PATCH, DELETE) all or nothing; reads without a transaction. In place of
    # ATOMIC_REQUESTS, which would open one for every GET too (see the middleware).
    "portal.core.middleware.AtomicWritesMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.accounts.modules.modules",
            ],
        },
    },
]

# No DATABASE_URL means the embedded SQLite database in the project folder.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Not ATOMIC_REQUESTS: portal.core.middleware.AtomicWritesMiddleware makes each write request
# one transaction and leaves reads without one (no BEGIN, no SQLite write lock for a GET).
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# One connection per worker kept open between requests instead of one opened per request (a
# TCP and authentication round trip on PostgreSQL; on SQLite a file open, PRAGMAs and some
# thirty functions registered). Django checks it before reuse, so a restarted database server
# costs one reconnect, not an error page. SQLite keeps the same: nothing speaks against it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: wait for a lock instead of failing with
    # "database is locked", and take the write lock at BEGIN so that a reader never has to upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters bound by the server instead of quoted into the SQL text in Python, and a
    # statement run five times on a kept connection prepared once: PostgreSQL then skips
    # parsing and planning it (the conference dashboard's drop-in query planned in 0.9 ms and
    # ran in 0.1 ms), and psycopg the quoting. Off for a pooler in transaction mode
    # (DATABASE_PREPARED_STATEMENTS=false), which cannot keep a prepared statement.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (search indexing, the e-mail outbox) is queued in the database and run by
# `manage.py db_worker`; `make run` starts one beside the web server. The tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# "Mit overblik": after login (and the second factor) everyone lands on their own dashboard.
LOGIN_REDIRECT_URL = "overview"
# The Wagtail admin sends visitors without a session to the same login page (and back after).
WAGTAILADMIN_LOGIN_URL = "/log-ind/"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user/IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): five wrong passwords for one e-mail from one IP lock that pair.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # Wagtail's login form calls the e-mail field "username"
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.lockout_username"

# Sessions: rotated at login (Django does), flushed at logout, an idle timeout that is
# shorter in the patient areas, and an absolute lifetime after which one logs in again.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
SESSION_IDLE_SECONDS_PATIENT_AREAS = env.int("SESSION_IDLE_SECONDS_PATIENT_AREAS", default=15 * 60)
# Path prefixes where patient data is shown; the login modules add theirs here.
PATIENT_AREA_PREFIXES = [
    "/korrespondance/",
    "/konferencer/",
    "/henvisninger/",
    "/fokuserede-ophold/",
    "/udgaaende-funktioner/bestillinger/",
    "/stoette/",
    "/admin/adgangslog/",
]

# Public pages baked to static HTML (content.baking) for the web server in front (ops/nginx) to
# serve as files. Empty: nothing is baked and Django serves every page (the default of `make run`).
# Outside STATIC_ROOT and MEDIA_ROOT: baked pages are replaced on every publish, not collected.
BAKE_ROOT = env("BAKE_ROOT", default="")
# Paths that are never baked and that the web server always hands to Django: the login modules,
# the patient areas, Min konto (and its login-state endpoint), the admin, search and the APIs,
# documents (served through Wagtail's view with its privacy rules), the language switch, single
# sign-on and Wagtail's password form. content.baking refuses them; ops/nginx proxies them.
NEVER_BAKED_PREFIXES = [
    *PATIENT_AREA_PREFIXES,
    "/admin/",
    "/overblik/",
    "/konto/",
    "/log-ind/",
    "/log-ud/",
    "/tider/",
    "/udgaaende-funktioner/",  # the public directory is a view by postcode, not a page
    "/tilbagemeldinger/",
    "/tilmeldinger/",
    "/kvalitet/",
    "/soeg/",
    "/search/",
    "/api/",
    "/dokumenter/",
    "/i18n/",
    "/oidc/",
    "/_util/",
    "/healthz",
    "/favicon.ico",
]

# Quality clusters: an aggregate over fewer units than this is shown as "too few" (portal/quality).
QUALITY_MIN_GROUP_SIZE = env.int("QUALITY_MIN_GROUP_SIZE", default=5)

# Conferences: a request nobody has accepted within this many minutes goes to the next on duty.
CONFERENCE_ESCALATION_MINUTES = env.int("CONFERENCE_ESCALATION_MINUTES", default=15)
# Bookings: how long a chosen time is kept for the booker while they fill in the form.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=10)

# Single sign-on (OpenID Connect, e.g. MitID Erhverv through a broker): on when a client id is set.
OIDC_ENABLED = bool(env("OIDC_RP_CLIENT_ID", default=""))
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
# Claim names, as NemLog-in/MitID Erhverv brokers send them; override per broker.
OIDC_LOA_CLAIMS = env.list(
    "OIDC_LOA_CLAIMS", default=["https://data.gov.dk/concept/core/nsis/loa", "loa", "acr"]
)
OIDC_PROFESSIONAL_CLAIM = env(
    "OIDC_PROFESSIONAL_CLAIM", default="https://data.gov.dk/model/core/eid/professional/cvr"
)
OIDC_SOR_CLAIM = env("OIDC_SOR_CLAIM", default="sor")
OIDC_YDER_CLAIM = env("OIDC_YDER_CLAIM", default="ydernummer")
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", default="samspil_role")
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "portal.accounts.oidc.SamspilOIDCBackend")

# Two-factor (django-otp, TOTP with recovery codes) for everyone who can reach patient
# data, editors and administrators; see portal.accounts.two_factor.
OTP_TOTP_ISSUER = "Samspil"

# Danish first, English second; Danish dates and the Copenhagen clock.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Copenhagen"
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Any request body larger than this is answered with a Danish 400 before a
# view reads it (see portal.core.middleware.RequestSizeLimitMiddleware).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Samspil <noreply@samspil.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The e-mail outbox (portal.outbox): attempts before an e-mail is given up (logged at ERROR),
# the longest wait between two attempts (1, 2, 4 … minutes up to this), how long one worker
# holds an e-mail before another may presume it dead, and the SMTP timeout, kept well below.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_MAX_BACKOFF_SECONDS = env.int("OUTBOX_MAX_BACKOFF_SECONDS", default=60 * 60)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=5 * 60)
OUTBOX_SEND_TIMEOUT_SECONDS = env.int("OUTBOX_SEND_TIMEOUT_SECONDS", default=60)

# Search (search/): OpenSearch when OPENSEARCH_URL is set, else the database. A slower or
# absent engine falls back to the database within the request (OPENSEARCH_TIMEOUT seconds).
OPENSEARCH_URL = env("OPENSEARCH_URL", default="")
OPENSEARCH_INDEX = env("OPENSEARCH_INDEX", default="samspil-pages")
OPENSEARCH_TIMEOUT = env.float("OPENSEARCH_TIMEOUT", default=1.0)
OPENSEARCH_RETRY_AFTER = env.float("OPENSEARCH_RETRY_AFTER", default=5.0)

# --- Patient identity and the access log (portal.patients, portal.audit) ---------------
# CPR numbers are encrypted with Fernet: the first key encrypts, all decrypt (rotation:
# put a new key first, run `manage.py rotate_cpr_keys`, then drop the old one). The
# blind index is an HMAC keyed by CPR_BLIND_INDEX_KEY. Both are kept outside the
# database; no default here: dev.py and test.py set non-secret keys, production.py
# requires them.
CPR_ENCRYPTION_KEYS = env.list("CPR_ENCRYPTION_KEYS", default=[])
CPR_BLIND_INDEX_KEY = env("CPR_BLIND_INDEX_KEY", default="")
# Access log entries older than this are deleted by `manage.py purge_access_log`.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)

# Local memory is per process. The rate limits (portal.core.ratelimit) count in this cache,
# so a production with several worker processes needs a shared cache, e.g. Django's
# database cache (`django.core.cache.backends.db.DatabaseCache` after `createcachetable`),
# or each worker counts on its own and the limits multiply by the number of workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Hardening (security headers, uploads, rate limits) ---------------------------------
# Content-Security-Policy via django-csp 4 (portal.core.security). The public site runs
# no inline script, no inline style and nothing from other origins; DKFDS is served
# from /static/vendor/dkfds. Wagtail serves documents with its own "default-src 'none'".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin under /admin/ (but not its login and password-reset pages, which run
# under the strict policy) needs, as found by loading its pages in Chromium with the strict
# policy and reading the violations: inline <script> for the date/time pickers, page
# choosers and inline panels (Wagtail renders them from widget templates, without a nonce),
# inline <style> that the Draftail rich-text editor injects, and blob: images for upload
# previews (data: too, per https://github.com/wagtail/wagtail/issues/7053). No eval.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
    }
}
# Admin pages a visitor sees before logging in keep the strict public policy.
CONTENT_SECURITY_POLICY_ADMIN_STRICT_PATHS = ["login/", "password_reset/"]
# Features no page of the portal uses are switched off for it and for anything it embeds.
# The video conferences of a later issue may need camera=(self) and microphone=(self).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Attachments in the login modules (portal.core.uploads): per file and per request.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=10)

# Requests per client in a fixed window (portal.core.ratelimit); "N/5m" is N per five minutes.
# "login" counts per IP and submitted e-mail; "login_ip" per IP alone, so that one address
# cannot try many e-mails (set high: a hospital's staff share a few NAT addresses).
RATE_LIMITS = {
    "login": "10/5m",
    "login_ip": "100/5m",
    "password_reset": "5/1h",
    "search": "60/1m",
    "two_factor": "10/5m",
    "autocomplete": "300/1m",
}
# A benchmark run (bench/ sets SAMSPIL_BENCH_RUN) keeps the limiter in the path, with room for
# its thousands of searches; settings.production refuses the variable.
if bench_run():
    RATE_LIMITS = {**RATE_LIMITS, "search": "1000000/1m", "autocomplete": "1000000/1m"}
# Reverse proxies in front of the portal that append to X-Forwarded-For; 0 means none, and
# the client is REMOTE_ADDR. Too high a number lets a client pick its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Wagtail
WAGTAIL_SITE_NAME = "Samspil"
# Neither editors' e-mail hashes to Gravatar nor a version check to wagtail.org: both are
# calls to third parties from the admin, and the admin's CSP allows neither.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The portal's own address, for links in e-mails and exports (portal.core.links); `make run`
# sets it from HOST and PORT. The Wagtail admin's e-mails use the same unless told otherwise.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("da", "Dansk")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents go through Wagtail's serve view (never a guessable /media/ URL), always as an
# attachment with nosniff; the upload form refuses HTML/SVG disguised as an office file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.core.uploads.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.core.uploads.SafeImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# PNG and JPEG only, checked by their first bytes too (portal.core.uploads.SafeImageForm).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No CPR number in any log line: the filter masks anything CPR-shaped (DDMMYY-XXXX).
    "filters": {"redact_cpr": {"()": "portal.patients.logging.CprRedactingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_cpr"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Every page save runs a few immediate tasks; their chatter hides what matters.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # opensearch-py logs every request at INFO.
        "opensearch": {"level": "WARNING"},
    },
}
