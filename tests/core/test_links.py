"""Links in e-mails come from SITE_URL, the portal's configured address, whatever the server runs on."""

import pytest

from portal.core.links import absolute_reverse
from portal.correspondence.services import message_send
from portal.outbox.models import OutboxEmail
from tests.correspondence.factories import open_thread, world

pytestmark = pytest.mark.django_db


def test_a_notification_links_to_the_configured_site(settings):
    settings.SITE_URL = "https://samspil.example:8443/"
    w = world()
    thread = open_thread(w)
    message_send(thread=thread, author=w.specialist, body="Svar til lægen.")  # the GP is told
    (email,) = OutboxEmail.objects.filter(to=[w.gp.email])
    assert f"https://samspil.example:8443/korrespondance/{thread.public_id}/" in email.body
    assert "127.0.0.1" not in email.body


def test_absolute_reverse_joins_without_a_double_slash(settings):
    settings.SITE_URL = "http://127.0.0.1:8123/"
    assert absolute_reverse("overview") == "http://127.0.0.1:8123/overblik/"
