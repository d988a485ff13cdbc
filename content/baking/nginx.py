"""The nginx config for the baked site, rendered from ``ops/nginx/samspil.conf.template``.

Paths, ports and the lists that must agree with Django (the prefixes never baked, the queries
baked, the security headers) come from the settings here, so the config cannot drift from the
application: the CSP and the other headers Django sends are copied from a real response.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.template import Context, Engine
from django.test import Client

from .targets import QUERY_PATTERN

OPS_DIR = Path(settings.BASE_DIR) / "ops" / "nginx"
TEMPLATE = "samspil.conf.template"
# Django's security headers, repeated by nginx on the pages it serves from disk.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)


def security_headers() -> list[tuple[str, str]]:
    """The headers Django's middleware put on a response, as an anonymous visitor gets them."""
    site = urlsplit(settings.SITE_URL)
    response = Client(HTTP_HOST=site.netloc or "localhost").get("/healthz", secure=site.scheme == "https")
    headers = []
    for name in SECURITY_HEADERS:
        value = response.get(name)
        if value is None:
            continue
        if any(char in value for char in '"$\\\n\r'):
            raise ValueError(f"{name} holds a character the nginx config cannot quote: {value!r}")
        headers.append((name, value))
    return headers


def render_config(
    *,
    listen: str,
    upstream: str,
    prefix: str | Path = "/var/lib/samspil/nginx",
    standalone: bool = True,
    bake_root: str | Path | None = None,
    static_root: str | Path | None = None,
    media_root: str | Path | None = None,
    server_name: str = "_",
    access_log: str | None = None,
    worker_processes: str = "auto",
    mime_types: str = "/etc/nginx/mime.types",
    user: str | None = None,
) -> str:
    bake_root = bake_root or settings.BAKE_ROOT
    if not bake_root:
        raise ValueError("BAKE_ROOT is not set: nginx would have no baked pages to serve")
    engine = Engine(dirs=[str(OPS_DIR)], autoescape=False)
    context = {
        "standalone": standalone,
        "user": user,
        "prefix": str(prefix),
        "worker_processes": worker_processes,
        "mime_types": mime_types,
        "upstream": upstream,
        "listen": listen,
        "server_name": server_name,
        "bake_root": str(Path(bake_root).resolve()),
        "static_root": str(Path(static_root or settings.STATIC_ROOT).resolve()),
        "media_root": str(Path(media_root or settings.MEDIA_ROOT).resolve()),
        "static_url": settings.STATIC_URL,
        "media_url": settings.MEDIA_URL,
        "max_body": settings.MAX_REQUEST_BODY_BYTES,
        "access_log": access_log,
        "never_baked_prefixes": settings.NEVER_BAKED_PREFIXES,
        "query_pattern": QUERY_PATTERN,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "security_headers": security_headers(),
        "proxy_include": str((OPS_DIR / "proxy.conf").resolve()),
    }
    return engine.get_template(TEMPLATE).render(Context(context))
