"""Local development: `make run`. Demo users exist only here."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-samspil")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Demo users, one per role, are created by load_demo_content only when true.
SAMSPIL_CREATE_DEMO_USERS = True
