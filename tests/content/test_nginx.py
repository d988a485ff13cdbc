"""The project's nginx config (ops/nginx) in front of Django's live server, started for real.

Checks what only the web server can show: a baked page comes from its file, with an ETag and
a 304, gzip, the cache headers; private paths and everything not baked are Django's.
"""

import gzip
import http.client
from urllib.parse import urlsplit

import pytest

from content import baking
from tests.content.factories import GuidelinePageFactory
from tests.nginx import project_nginx, require_nginx

# live_server: transactional; serialized rollback restores what migrations made (the root page)
# and flushes without re-creating content types (see tests/e2e/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HASHED = "app.0123456789ab.js"


@pytest.fixture
def site(live_server, settings, tmp_path):
    require_nginx()
    settings.BAKE_ROOT = str(tmp_path / "baked")
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "js" / HASHED).write_text("console.log('hashed');\n")
    (static / "js" / "plain.js").write_text("console.log('plain');\n")
    GuidelinePageFactory(title="Hjertesvigt i eget hjem", slug="hjertesvigt")
    baking.bake_all()
    upstream = urlsplit(live_server.url).netloc
    with project_nginx(
        upstream=upstream, bake_root=tmp_path / "baked", prefix=tmp_path / "nginx", static_root=static
    ) as url:
        yield url, tmp_path / "baked"


def get(url, path, method="GET", headers=None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_a_baked_page_is_served_from_its_file(site):
    url, root = site
    response, body = get(url, "/retningslinjer/hjertesvigt/")
    assert response.status == 200
    assert response.getheader("X-Samspil-Baked") == "1"
    assert body == (root / "retningslinjer" / "hjertesvigt" / "index.html").read_bytes()
    # What Django would have sent along: the security headers.
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_a_changed_file_is_served_at_once(site):
    url, root = site
    (root / "retningslinjer" / "hjertesvigt" / "index.html").write_text("<p>ny udgave</p>")
    (root / "retningslinjer" / "hjertesvigt" / "index.html.gz").unlink()
    _response, body = get(url, "/retningslinjer/hjertesvigt/")
    assert body == b"<p>ny udgave</p>"


def test_html_is_revalidated_with_an_etag_and_a_304(site):
    url, _root = site
    response, _body = get(url, "/retningslinjer/")
    etag = response.getheader("ETag")
    assert etag and response.getheader("Cache-Control") == "no-cache"
    again, body = get(url, "/retningslinjer/", headers={"If-None-Match": etag})
    assert again.status == 304 and body == b""


def test_gzip_when_the_client_asks_for_it(site):
    url, root = site
    response, body = get(url, "/retningslinjer/hjertesvigt/", headers={"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary")
    assert gzip.decompress(body) == (root / "retningslinjer" / "hjertesvigt" / "index.html").read_bytes()
    plain, _body = get(url, "/retningslinjer/hjertesvigt/")
    assert plain.getheader("Content-Encoding") is None


def test_a_baked_filter_from_disk_and_a_combination_from_django(site):
    url, _root = site
    variant, _body = get(url, "/retningslinjer/hjertesvigt/?variant=sygehus")
    assert variant.status == 200 and variant.getheader("X-Samspil-Baked") == "1"
    combined, body = get(url, "/retningslinjer/?speciale=a&sektor=b")
    assert combined.status == 200 and combined.getheader("X-Samspil-Baked") is None
    assert b"Retningslinjer" in body


def test_private_paths_always_go_to_django_even_with_a_file_on_disk(site):
    url, root = site
    for folder in ("konto", "korrespondance", "overblik"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "index.html").write_text("FROM DISK")
    for path in ("/konto/", "/korrespondance/", "/overblik/"):
        response, body = get(url, path)
        assert b"FROM DISK" not in body, path
        assert response.getheader("X-Samspil-Baked") is None
        assert response.status == 302  # Django sends the visitor to log in


def test_the_login_state_endpoint_is_never_stored(site):
    url, _root = site
    response, body = get(url, "/konto/status.json")
    assert response.status == 200 and response.getheader("Cache-Control") == "private, no-store"
    assert b'"authenticated": false' in body


def test_posts_and_english_visitors_get_django(site):
    url, _root = site
    english, body = get(url, "/retningslinjer/hjertesvigt/", headers={"Cookie": "django_language=en"})
    assert english.getheader("X-Samspil-Baked") is None and b'lang="en"' in body
    posted, _body = get(url, "/retningslinjer/hjertesvigt/", method="POST")
    assert posted.getheader("X-Samspil-Baked") is None and posted.status != 405


def test_static_files_long_immutable_when_hashed_and_documents_never_from_media(site):
    url, _root = site
    hashed, body = get(url, f"/static/js/{HASHED}")
    assert body == b"console.log('hashed');\n"
    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    plain, _body = get(url, "/static/js/plain.js")
    assert plain.getheader("Cache-Control") == "public, max-age=3600"
    document, _body = get(url, "/media/documents/anything.pdf")
    assert document.status == 404
