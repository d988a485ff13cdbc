"""The portal's own pages (contact, privacy, cookies, accessibility): editable, in the footer."""

import pytest

from content.models import InformationPage
from content.services import information_page_ensure
from tests.content.factories import home

pytestmark = pytest.mark.django_db


def _footer(client) -> str:
    html = client.get("/").content.decode()
    return html.split('<footer class="footer samspil-footer">')[1]


def test_an_information_page_renders_its_markdown_and_is_linked_from_the_footer(client):
    page = information_page_ensure(
        home=home(),
        slug="cookies",
        title="Cookies",
        markdown="Kun nødvendige cookies.\n\n| Cookie | Formål |\n|---|---|\n| sessionid | Login |\n",
    )
    html = client.get(page.url).content.decode()
    assert "<h1>Cookies</h1>" in html and '<table class="table">' in html and "<td>sessionid</td>" in html
    assert '<a href="/cookies/">Cookies</a>' in _footer(client)


def test_an_editor_takes_a_page_out_of_the_footer_and_it_goes_at_once(client):
    page = information_page_ensure(home=home(), slug="kontakt", title="Kontakt", markdown="Ring til os.")
    assert "Kontakt" in _footer(client)
    page.show_in_menus = False
    page.save_revision().publish()
    assert "Kontakt" not in _footer(client)


def test_information_pages_are_not_knowledge_sections(client):
    information_page_ensure(home=home(), slug="privatliv", title="Privatliv", markdown="Tekst.")
    html = client.get("/").content.decode()
    nav = html[html.index('<nav class="nav"') :]
    assert "Privatliv" not in nav[: nav.index("</nav>")]
    assert InformationPage.objects.get().get_parent().specific_class.__name__ == "HomePage"


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/img/favicon.svg")
