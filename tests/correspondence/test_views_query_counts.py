"""The inbox and the thread page cost the same number of queries for 3 or 30 threads or messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.correspondence.services import message_send, thread_claim
from tests.accounts.login import verified_login

from .factories import open_thread, world

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("box", ["afventer-mig", "organisation", "overskredet", "lukkede"])
def test_inbox_queries_do_not_grow_with_threads(client, box):
    w = world()
    verified_login(client, w.specialist)
    url = reverse("correspondence:inbox") + f"?visning={box}"
    for n in range(3):
        open_thread(w, subject=f"Tråd {n}", patient_cpr="0707614285" if n % 2 else "")
    _queries(client, url)  # warm the session and the content-type cache
    with_three = _queries(client, url)
    for n in range(3, 30):
        thread = open_thread(w, subject=f"Tråd {n}", patient_cpr="0707614285" if n % 2 else "")
        if n % 3 == 0:
            thread_claim(thread=thread, user=w.specialist)
    assert _queries(client, url) == with_three


def test_thread_page_queries_do_not_grow_with_messages(client):
    w = world()
    thread = open_thread(w, patient_cpr="0707614285")
    url = reverse("correspondence:thread", kwargs={"public_id": thread.public_id})

    def write(n):
        author = w.specialist if n % 2 else w.gp
        files = [SimpleUploadedFile(f"bilag{n}.png", PNG, content_type="image/png")]
        message_send(thread=thread, author=author, body=f"Besked {n}", attachments=files)

    for n in range(2):
        write(n)
    verified_login(client, w.gp)
    _queries(client, url)
    verified_login(client, w.specialist)
    _queries(client, url)
    with_three = _queries(client, url)
    for n in range(2, 29):
        write(n)
    assert thread.messages.count() == 30
    assert _queries(client, url) == with_three
