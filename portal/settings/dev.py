"""Local development: `make run`. Demo users exist only here."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-samspil")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Demo users, one per role, are created by load_demo_content only when true.
SAMSPIL_CREATE_DEMO_USERS = True

# NOT SECRET, local development only: fixed keys so that `make run` needs no configuration.
CPR_ENCRYPTION_KEYS = env.list(
    "CPR_ENCRYPTION_KEYS", default=["c2Ftc3BpbC1kZXYtb25seS1ub3Qtc2VjcmV0LWtleSE="]
)
CPR_BLIND_INDEX_KEY = env("CPR_BLIND_INDEX_KEY", default="dev-only-not-secret-samspil-blind-index-key")
