"""Security headers on every kind of response, and public pages that run under a CSP without inline code."""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.documents import get_document_model

from tests.content.factories import (
    AuditMaterialPageFactory,
    CasePageFactory,
    FaqPageFactory,
    GuidelinePageFactory,
    ThinkSmartReviewPageFactory,
    home,
    markdown_body,
    section,
)

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("boom")


@xframe_options_sameorigin
def frameable(request):
    return HttpResponse("<p>preview</p>")


urlpatterns = [path("boom/", boom), path("frameable/", frameable), path("", include("portal.urls"))]
handler500 = "portal.core.views.server_error"


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def assert_security_headers(response):
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()"


def test_a_public_page_sends_every_security_header(client):
    response = client.get(GuidelinePageFactory().url)
    assert response.status_code == 200
    assert_security_headers(response)


def test_healthz_sends_every_security_header(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_404_page_sends_every_security_header(client):
    response = client.get("/findes/slet/ikke/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_the_400_for_an_oversized_body_sends_every_security_header(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 10
    response = client.post("/soeg/", data=b"x" * 100, content_type="application/octet-stream")
    assert response.status_code == 400
    assert_security_headers(response)


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_sends_every_security_header():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_security_headers(response)


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_admin_gets_the_relaxed_policy_but_its_login_page_the_strict_one(client):
    admin = csp(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert "'unsafe-eval'" not in admin["script-src"]
    assert admin["frame-ancestors"] == ["'none'"]
    assert admin["object-src"] == ["'none'"]
    for strict_path in ("/admin/login/", "/admin/password_reset/"):
        response = client.get(strict_path)
        assert response.status_code == 200
        assert_security_headers(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_allows_same_origin_framing_gets_frame_ancestors_self(client):
    # Wagtail's preview panel is such a view; everything else stays unframeable.
    response = client.get("/frameable/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(response)["frame-ancestors"] == ["'self'"]


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles, event handlers, javascript: URLs."""

    # Data blocks that browsers never execute.
    DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() not in self.DATA_SCRIPT_TYPES:
                self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"inline <style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"<{tag} style=...> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def _guideline_with_every_block():
    document = get_document_model().objects.create(
        title="Auditskema", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="auditskema.pdf")
    )
    body = [
        (
            "markdown",
            "## Afsnit\n\n<script>alert(1)</script> <a href='#' onclick='x()'>klik</a>\n\n| A | B |\n|---|---|\n| 1 | 2 |",
        ),
        ("text", "<p>Rig <b>tekst</b></p>"),
        ("callout", {"kind": "red_flag", "heading": "Obs", "text": "<p>Alarm</p>"}),
        ("recommendation", {"text": "<p>Gør det</p>", "strength": "strong_for", "evidence": "high"}),
        (
            "references",
            {"heading": "Litteratur", "items": [{"title": "Kilde", "url": "https://example.org/"}]},
        ),
        ("document", {"document": document, "title": "Hent skemaet"}),
        (
            "table",
            {"data": [["a", "b"], ["1", "2"]], "first_row_is_table_header": True, "table_caption": "T"},
        ),
    ]
    return GuidelinePageFactory(general_practice_body=body, hospital_body=markdown_body("Sygehuset."))


@pytest.mark.parametrize(
    "make_page",
    [
        home,
        section,
        _guideline_with_every_block,
        CasePageFactory,
        FaqPageFactory,
        AuditMaterialPageFactory,
        ThinkSmartReviewPageFactory,
    ],
    ids=lambda make: getattr(make, "__name__", str(make)),
)
def test_public_pages_have_no_inline_code(client, make_page):
    page = make_page()
    response = client.get(page.url)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_search_results_and_error_pages_have_no_inline_code(client, settings):
    GuidelinePageFactory(title="Feber hos børn")
    for url in ("/soeg/?q=feber", "/soeg/?q=", "/findes-ikke/"):
        response = client.get(url)
        assert inline_code(response.content.decode()) == [], url


def test_the_inline_code_finder_finds_what_the_csp_would_block():
    html = (
        "<script>x()</script><script src='/a.js'></script><script type='application/json'>{}</script>"
        "<a onclick='x()' href='javascript:x()'>a</a><p style='color:red'>p</p><style>p{}</style>"
    )
    assert len(inline_code(html)) == 5
