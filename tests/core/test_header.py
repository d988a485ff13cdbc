"""The header: the knowledge sections in the main menu, a menu button for phones, the login link,
and the modules once logged in. The menu costs no query once cached, and is never stale."""

import pytest

from content.navigation import knowledge_sections
from tests.accounts.login import verified_login
from tests.content.factories import section
from tests.correspondence.factories import world

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    start = html.index('<nav class="nav"')
    return html[start : html.index("</nav>", start)]


def test_anonymous_visitors_get_the_sections_a_menu_button_and_the_portal_login(client):
    section("retningslinjer", "Retningslinjer")
    html = client.get("/").content.decode()
    assert '<a href="/retningslinjer/" class="nav-link"' in _nav(html)
    assert 'class="function-link button-menu-open js-menu-open' in html  # phones open the drawer
    assert '<div class="mobile-drawer"' in html
    assert 'href="/log-ind/"' in html and "/admin/login/" not in html


def test_logged_in_users_get_the_modules_their_account_and_logout(client):
    w = world()
    verified_login(client, w.gp)
    html = client.get("/konto/").content.decode()
    for href in ("/overblik/", "/korrespondance/", "/konferencer/", "/konto/"):
        assert f'href="{href}"' in html
    assert 'action="/log-ud/"' in html
    assert 'data-badge-url="/overblik/antal/"' in html


def test_a_new_section_appears_at_once_and_an_unpublished_one_goes(client):
    section("retningslinjer", "Retningslinjer")
    client.get("/")  # the menu is cached now
    faq = section("faq", "Spørgsmål og svar")
    assert "Spørgsmål og svar" in _nav(client.get("/").content.decode())
    faq.unpublish()
    assert "Spørgsmål og svar" not in _nav(client.get("/").content.decode())


def test_the_cached_menu_costs_no_query(django_assert_num_queries):
    section("retningslinjer", "Retningslinjer")
    knowledge_sections()
    with django_assert_num_queries(0):
        assert [item.title for item in knowledge_sections()] == ["Retningslinjer"]


def test_publishing_a_guideline_keeps_the_cached_menu(django_assert_num_queries):
    from tests.content.factories import GuidelinePageFactory

    section("retningslinjer", "Retningslinjer")
    knowledge_sections()
    GuidelinePageFactory(title="Ny retningslinje").save_revision().publish()
    with django_assert_num_queries(0):
        knowledge_sections()


def test_editors_get_wagtails_bar_on_knowledge_pages_only(client):
    from django.contrib.auth.models import Group

    from tests.accounts.factories import UserFactory

    section("retningslinjer", "Retningslinjer")
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Moderators"))
    verified_login(client, editor)
    assert "<wagtail-userbar" in client.get("/retningslinjer/").content.decode()
    assert "<wagtail-userbar" not in client.get("/konto/").content.decode()
